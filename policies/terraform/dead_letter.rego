# dead_letter_policy: a subscription read by a plain pull consumer (label reader=node, or no reader label) has a
# dead-letter policy (poison messages must not be redelivered forever), except the inspection subscriptions on
# dead-letter topics themselves (label purpose=dead-letter-inspection). A subscription read by Dataflow (label
# reader=dataflow) has neither a dead-letter policy nor a retry policy: Pub/Sub documents both as not supported
# by Dataflow ("Handle message failures", cloud.google.com/pubsub/docs/handling-failures); the templates'
# BigQuery dead-letter tables are the poison-message path there.
package shopstream.terraform

dead_letter_exempt(rc) if after(rc).labels.purpose == "dead-letter-inspection"

read_by_dataflow(rc) if after(rc).labels.reader == "dataflow"

has_dead_letter(rc) if count(object.get(after(rc), "dead_letter_policy", [])) > 0

has_retry_policy(rc) if count(object.get(after(rc), "retry_policy", [])) > 0

deny contains verdict("dead_letter_policy", rc, msg) if {
	some rc in changing
	rc.type == "google_pubsub_subscription"
	writes(rc)
	not dead_letter_exempt(rc)
	not read_by_dataflow(rc)
	not has_dead_letter(rc)
	msg := "subscription has no dead_letter_policy; add one (and a retry_policy), label it reader=dataflow if a Dataflow job reads it, or purpose=dead-letter-inspection if it reads a dead-letter topic"
}

deny contains verdict("dead_letter_policy", rc, msg) if {
	some rc in changing
	rc.type == "google_pubsub_subscription"
	writes(rc)
	read_by_dataflow(rc)
	some kind in ["dead_letter_policy", "retry_policy"]
	count(object.get(after(rc), kind, [])) > 0
	msg := sprintf("subscription is read by Dataflow (label reader=dataflow) but has a %s: Pub/Sub does not support dead-letter topics or retry policies with Dataflow; remove it and rely on the template's BigQuery dead-letter table", [kind])
}

warn contains verdict("dead_letter_policy", rc, msg) if {
	some rc in changing
	rc.type == "google_pubsub_subscription"
	writes(rc)
	some p in object.get(after(rc), "dead_letter_policy", [])
	attempts := object.get(p, "max_delivery_attempts", 5)
	attempts > 20
	msg := sprintf("max_delivery_attempts is %d: a poison message is retried that many times before it is dead-lettered", [attempts])
}
