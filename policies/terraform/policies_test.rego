# Tests of every policy: `opa test policies/terraform` (bash tools/opa/test.sh).
package shopstream.terraform_test

import data.shopstream.terraform

labels := {"app": "shopstream", "environment": "dev", "managed-by": "terraform"}

rc(type, actions, after) := {
	"address": sprintf("module.m.%s.x", [type]),
	"module_address": "module.m",
	"mode": "managed",
	"type": type,
	"name": "x",
	"change": {"actions": actions, "before": null, "after": after, "after_unknown": {}},
}

plan(changes) := {"format_version": "1.2", "resource_changes": changes}

dev := {"environment": "dev", "labels": []}

prod := {"environment": "prod", "labels": []}

policies(set) := {v.policy | some v in set}

# --- no_public_iam -----------------------------------------------------------------------------------------

test_public_member_denied if {
	p := plan([rc("google_pubsub_topic_iam_member", ["create"], {"role": "roles/pubsub.publisher", "member": "allUsers"})])
	d := terraform.deny with input as p with data.context as dev
	policies(d) == {"no_public_iam"}
}

test_public_binding_denied if {
	p := plan([rc("google_bigquery_dataset_iam_binding", ["update"], {"role": "roles/bigquery.dataViewer", "members": ["group:a@b.c", "allAuthenticatedUsers"]})])
	"no_public_iam" in policies(terraform.deny) with input as p with data.context as dev
}

test_public_policy_data_denied if {
	pd := json.marshal({"bindings": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]})
	p := plan([rc("google_storage_bucket_iam_policy", ["create"], {"policy_data": pd})])
	"no_public_iam" in policies(terraform.deny) with input as p with data.context as dev
}

test_private_member_allowed if {
	p := plan([rc("google_pubsub_topic_iam_member", ["create"], {"role": "roles/pubsub.publisher", "member": "serviceAccount:shop@p.iam.gserviceaccount.com"})])
	count(terraform.deny) == 0 with input as p with data.context as dev
}

test_public_member_being_removed_allowed if {
	p := plan([rc("google_pubsub_topic_iam_member", ["delete"], null)])
	count(terraform.deny) == 0 with input as p with data.context as dev
}

test_primitive_role_denied if {
	p := plan([rc("google_project_iam_member", ["create"], {"role": "roles/editor", "member": "serviceAccount:ci@p.iam.gserviceaccount.com"})])
	policies(terraform.deny) == {"no_primitive_roles"} with input as p with data.context as dev
}

# --- dead_letter_policy ------------------------------------------------------------------------------------

sub(extra) := object.union({"name": "s", "labels": labels}, extra)

test_subscription_without_dead_letter_denied if {
	p := plan([rc("google_pubsub_subscription", ["create"], sub({"dead_letter_policy": []}))])
	policies(terraform.deny) == {"dead_letter_policy"} with input as p with data.context as dev
}

test_subscription_with_dead_letter_allowed if {
	p := plan([rc("google_pubsub_subscription", ["create"], sub({"dead_letter_policy": [{"max_delivery_attempts": 5}]}))])
	count(terraform.deny) == 0 with input as p with data.context as dev
	count(terraform.warn) == 0 with input as p with data.context as dev
}

test_inspection_subscription_exempt if {
	l := object.union(labels, {"purpose": "dead-letter-inspection"})
	p := plan([rc("google_pubsub_subscription", ["create"], {"name": "dlq-inspect", "labels": l, "dead_letter_policy": []})])
	count(terraform.deny) == 0 with input as p with data.context as dev
}

test_dataflow_subscription_without_dead_letter_allowed if {
	l := object.union(labels, {"reader": "dataflow"})
	p := plan([rc("google_pubsub_subscription", ["create"], {"name": "s", "labels": l, "dead_letter_policy": [], "retry_policy": []})])
	count(terraform.deny) == 0 with input as p with data.context as dev
}

test_dataflow_subscription_with_dead_letter_denied if {
	l := object.union(labels, {"reader": "dataflow"})
	p := plan([rc("google_pubsub_subscription", ["create"], {"name": "s", "labels": l, "dead_letter_policy": [{"max_delivery_attempts": 5}], "retry_policy": []})])
	d := terraform.deny with input as p with data.context as dev
	policies(d) == {"dead_letter_policy"}
	some v in d
	contains(v.msg, "dead_letter_policy")
}

test_dataflow_subscription_with_retry_policy_denied if {
	l := object.union(labels, {"reader": "dataflow"})
	p := plan([rc("google_pubsub_subscription", ["update"], {"name": "s", "labels": l, "dead_letter_policy": [], "retry_policy": [{"minimum_backoff": "10s"}]})])
	d := terraform.deny with input as p with data.context as dev
	policies(d) == {"dead_letter_policy"}
	some v in d
	contains(v.msg, "retry_policy")
}

test_node_subscription_without_dead_letter_denied if {
	l := object.union(labels, {"reader": "node"})
	p := plan([rc("google_pubsub_subscription", ["create"], {"name": "s", "labels": l, "dead_letter_policy": []})])
	policies(terraform.deny) == {"dead_letter_policy"} with input as p with data.context as dev
}

test_many_delivery_attempts_warned if {
	p := plan([rc("google_pubsub_subscription", ["update"], sub({"dead_letter_policy": [{"max_delivery_attempts": 100}]}))])
	policies(terraform.warn) == {"dead_letter_policy"} with input as p with data.context as dev
}

# --- stateful_destroy --------------------------------------------------------------------------------------

test_dataset_destroy_denied if {
	p := plan([rc("google_bigquery_dataset", ["delete"], null)])
	d := terraform.deny with input as p with data.context as prod
	policies(d) == {"stateful_destroy"}
	some v in d
	contains(v.msg, "allow-destroy:prod")
	contains(v.msg, "destroyed")
}

test_cluster_replace_denied if {
	p := plan([rc("mongodbatlas_advanced_cluster", ["delete", "create"], {"name": "c"})])
	some v in terraform.deny with input as p with data.context as dev
	v.policy == "stateful_destroy"
	contains(v.msg, "replaced")
}

test_destroy_allowed_by_label_becomes_warning if {
	p := plan([rc("google_pubsub_topic", ["delete"], null)])
	ctx := {"environment": "dev", "labels": ["allow-destroy:dev"]}
	count(terraform.deny) == 0 with input as p with data.context as ctx
	policies(terraform.warn) == {"stateful_destroy"} with input as p with data.context as ctx
}

test_label_of_other_environment_does_not_allow if {
	p := plan([rc("google_pubsub_topic", ["delete"], null)])
	ctx := {"environment": "prod", "labels": ["allow-destroy:dev"]}
	policies(terraform.deny) == {"stateful_destroy"} with input as p with data.context as ctx
}

test_stateless_destroy_allowed if {
	p := plan([rc("google_monitoring_alert_policy", ["delete"], null)])
	count(terraform.deny) == 0 with input as p with data.context as prod
}

# --- required_labels ---------------------------------------------------------------------------------------

test_missing_labels_denied if {
	p := plan([rc("google_bigquery_dataset", ["create"], {"location": "EU", "labels": {"app": "shopstream"}})])
	some v in terraform.deny with input as p with data.context as dev
	v.policy == "required_labels"
	contains(v.msg, "environment")
	contains(v.msg, "managed-by")
}

test_default_labels_count if {
	p := plan([rc("google_bigquery_dataset", ["create"], {"location": "EU", "labels": {}, "terraform_labels": labels})])
	count(terraform.deny) == 0 with input as p with data.context as dev
}

test_unknown_labels_not_judged if {
	r := rc("google_storage_bucket", ["create"], {"location": "EU"})
	p := plan([json.patch(r, [{"op": "add", "path": "/change/after_unknown", "value": {"labels": true}}])])
	count(terraform.deny) == 0 with input as p with data.context as dev
}

# --- allowed_locations -------------------------------------------------------------------------------------

test_region_outside_allow_list_denied if {
	p := plan([rc("google_dataflow_flex_template_job", ["create"], {"region": "us-central1", "labels": labels})])
	policies(terraform.deny) == {"allowed_locations"} with input as p with data.context as dev
}

test_multi_region_case_insensitive if {
	p := plan([rc("google_bigquery_dataset", ["create"], {"location": "EU", "labels": labels})])
	count(terraform.deny) == 0 with input as p with data.context as dev
}

# --- deletion_protection -----------------------------------------------------------------------------------

test_deletion_protection_off_in_prod_denied if {
	p := plan([rc("google_bigquery_table", ["update"], {"deletion_protection": false, "labels": labels})])
	policies(terraform.deny) == {"deletion_protection"} with input as p with data.context as prod
}

test_deletion_protection_off_in_dev_allowed if {
	p := plan([rc("google_bigquery_table", ["update"], {"deletion_protection": false, "labels": labels})])
	count(terraform.deny) == 0 with input as p with data.context as dev
}

# --- whole plan --------------------------------------------------------------------------------------------

test_no_changes_passes if {
	p := plan([rc("google_pubsub_topic", ["no-op"], {"labels": {}})])
	count(terraform.deny) == 0 with input as p with data.context as prod
	count(terraform.warn) == 0 with input as p with data.context as prod
}

test_incomplete_plan_warned if {
	p := object.union(plan([]), {"complete": false})
	policies(terraform.warn) == {"plan_complete"} with input as p with data.context as dev
}

test_context_defaults_without_data if {
	p := plan([rc("google_pubsub_topic", ["delete"], null)])
	policies(terraform.deny) == {"stateful_destroy"} with input as p
}
