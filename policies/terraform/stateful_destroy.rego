# stateful_destroy: no destroy or replace of a data store (datasets, tables, topics, subscriptions, buckets,
# secrets, keys, the MongoDB cluster) unless the pull request carries the label allow-destroy:<environment>
# (a promotion passes it with its allow_destroy input). The override turns the denial into a warning, so the
# comment still shows it.
package shopstream.terraform

destroy_allowed if sprintf("allow-destroy:%s", [context.environment]) in context.labels

loss(rc) := "replaced" if "create" in rc.change.actions

loss(rc) := "destroyed" if not "create" in rc.change.actions

deny contains verdict("stateful_destroy", rc, msg) if {
	some rc in changing
	rc.type in config.stateful_types
	destroys(rc)
	not destroy_allowed
	msg := sprintf("%s would be %s and its data lost; if intended, add the label allow-destroy:%s", [
		rc.type,
		loss(rc),
		context.environment,
	])
}

warn contains verdict("stateful_destroy", rc, msg) if {
	some rc in changing
	rc.type in config.stateful_types
	destroys(rc)
	destroy_allowed
	msg := sprintf("%s will be %s (allowed by allow-destroy:%s)", [rc.type, loss(rc), context.environment])
}
