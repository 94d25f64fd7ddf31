# no_public_iam: no IAM grant to allUsers / allAuthenticatedUsers, whether by *_iam_member, *_iam_binding or
# *_iam_policy (policy_data JSON).
package shopstream.terraform

iam_members(a) := ({m | m := a.member; is_string(m)} | {m | some m in object.get(a, "members", [])}) | {m |
	is_string(a.policy_data)
	some b in json.unmarshal(a.policy_data).bindings
	some m in b.members
}

deny contains verdict("no_public_iam", rc, msg) if {
	some rc in changing
	writes(rc)
	some m in iam_members(after(rc))
	m in config.public_members
	msg := sprintf("%s grants %s to the public member %s; grant it to a group or service account instead", [
		rc.type,
		object.get(after(rc), "role", "a role"),
		m,
	])
}

# no_primitive_roles: owner / editor / viewer are far wider than anything the platform needs.
deny contains verdict("no_primitive_roles", rc, msg) if {
	some rc in changing
	writes(rc)
	startswith(rc.type, "google_")
	contains(rc.type, "_iam_")
	role := after(rc).role
	role in config.primitive_roles
	msg := sprintf("%s grants the primitive role %s; use a predefined or custom role", [rc.type, role])
}
