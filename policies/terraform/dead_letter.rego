# dead_letter_policy: every Pub/Sub subscription has a dead-letter policy (poison messages must not be
# redelivered forever), except the inspection subscriptions on dead-letter topics themselves, labelled
# purpose=dead-letter-inspection.
package shopstream.terraform

dead_letter_exempt(rc) if after(rc).labels.purpose == "dead-letter-inspection"

has_dead_letter(rc) if count(object.get(after(rc), "dead_letter_policy", [])) > 0

deny contains verdict("dead_letter_policy", rc, msg) if {
	some rc in changing
	rc.type == "google_pubsub_subscription"
	writes(rc)
	not dead_letter_exempt(rc)
	not has_dead_letter(rc)
	msg := "subscription has no dead_letter_policy; add one (and a retry_policy), or label it purpose=dead-letter-inspection if it reads a dead-letter topic"
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
