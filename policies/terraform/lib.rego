# Shared helpers of the Terraform plan policies. Every policy file is in package shopstream.terraform and adds
# verdicts to `deny` (blocks the plan) or `warn` (reported only). A verdict is an object:
#   {"policy": "<id>", "address": "<resource address>", "msg": "<what is wrong and how to fix it>"}
# Input: `terraform show -json <planfile>` (format_version 1.x). Data: data.terraform_policy (data.json, the
# fork's settings) and data.context ({"environment": "dev", "labels": ["allow-destroy:dev", ...]}), written
# by the terraform-plan action from the pull request's labels.
package shopstream.terraform

config := data.terraform_policy

default context := {"environment": "", "labels": []}

context := data.context

# Managed resources whose change does something.
changing contains rc if {
	some rc in input.resource_changes
	object.get(rc, "mode", "managed") == "managed"
	not rc.change.actions in {["no-op"], ["read"]}
}

# The resource exists after the apply with new attributes (created, updated or replaced).
writes(rc) if "create" in rc.change.actions

writes(rc) if "update" in rc.change.actions

# The resource object is destroyed (deleted, or replaced).
destroys(rc) if "delete" in rc.change.actions

after(rc) := rc.change.after if is_object(rc.change.after)

# Whether Terraform knows the value of top-level attribute `name` at plan time.
unknown(rc, name) if object.get(object.get(rc.change, "after_unknown", {}), name, false) == true

verdict(policy, rc, msg) := {"policy": policy, "address": rc.address, "msg": msg}
