# allowed_locations: resources are created only in the regions / locations the fork allows (data residency).
# Checked on the `region` and `location` attributes, case-insensitively (BigQuery `EU` -> `eu`).
package shopstream.terraform

deny contains verdict("allowed_locations", rc, msg) if {
	some rc in changing
	writes(rc)
	some attr in ["region", "location"]
	value := after(rc)[attr]
	is_string(value)
	not lower(value) in {lower(l) | some l in config.allowed_locations}
	msg := sprintf("%s %q is not in the allowed locations %v", [attr, value, config.allowed_locations])
}
