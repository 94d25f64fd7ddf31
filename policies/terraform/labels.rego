# required_labels: resources that carry labels carry the platform's required keys (cost and ownership
# reports group by them). Keys set through the provider's default_labels count (terraform_labels).
package shopstream.terraform

label_keys(a) := {k | some k, _ in object.get(a, "labels", {})} | {k | some k, _ in object.get(a, "terraform_labels", {})}

deny contains verdict("required_labels", rc, msg) if {
	some rc in changing
	rc.type in config.labelled_types
	writes(rc)
	not unknown(rc, "labels")
	missing := {k | some k in config.required_labels} - label_keys(after(rc))
	count(missing) > 0
	msg := sprintf("missing required labels %v; set them in the module's labels", [sort(missing)])
}
