# deletion_protection: in protected environments (staging, prod) a resource that has deletion_protection keeps
# it on; dev may turn it off to iterate.
package shopstream.terraform

deny contains verdict("deletion_protection", rc, msg) if {
	context.environment in config.protected_environments
	some rc in changing
	writes(rc)
	after(rc).deletion_protection == false
	msg := sprintf("deletion_protection is false in %s; set deletion_protection = true", [context.environment])
}

# Whole-plan warning: the plan could not be fully computed (e.g. count depends on unknown values).
warn contains {"policy": "plan_complete", "msg": "the plan is incomplete (complete = false): apply may need a second plan"} if {
	input.complete == false
}
