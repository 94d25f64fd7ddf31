variable "project_id" {
  description = "Google Cloud project that owns the topic, schema and subscriptions."
  type        = string
}

variable "names" {
  description = "Resource IDs, derived once by packages/platform: the events `topic`, its `schema`, and keyed like `subscriptions`: each consumer's subscription, its dead-letter topic and the dead-letter topic's inspection subscription."
  type = object({
    topic                    = string
    schema                   = string
    subscriptions            = map(string)
    dead_letter_topics       = map(string)
    inspection_subscriptions = map(string)
  })

  validation {
    condition = alltrue([for id in concat([var.names.topic, var.names.schema], values(var.names.subscriptions), values(var.names.dead_letter_topics), values(var.names.inspection_subscriptions)) :
      can(regex("^[A-Za-z][A-Za-z0-9._~+%-]{2,254}$", id)) && !startswith(id, "goog")
    ])
    error_message = "Pub/Sub IDs must have 3-255 characters, start with a letter, use only letters, digits and - _ . ~ + %, and not start with goog."
  }
}

variable "avro_schema_definition" {
  description = "Avro schema (JSON text) of the shop event, generated from the event contract (packages/events/generated/shop-event.avsc). Always registered as a Pub/Sub schema; attached to the topic only when enforce_topic_schema is true."
  type        = string

  validation {
    condition     = can(jsondecode(var.avro_schema_definition).type)
    error_message = "avro_schema_definition must be a JSON Avro schema with a top-level `type`."
  }
}

variable "enforce_topic_schema" {
  description = "Attach the Avro schema to the events topic (JSON encoding). Off by default: the wire format is plain JSON, while Avro's JSON encoding wraps union values ({\"string\": \"x\"}), so enforcement would reject valid events at publish time. See README."
  type        = bool
  default     = false
}

variable "topic_message_retention_duration" {
  description = "How long the events topic retains messages, so subscriptions can be seeked back (replay). Between 600s and 2678400s (31 days)."
  type        = string
  default     = "604800s"
}

variable "subscriptions" {
  description = "Subscriptions on the events topic, keyed by short name (`ingestion`, `analytics`). Each gets a dead-letter topic, a retry policy and an inspection subscription on its dead-letter topic."
  type = map(object({
    ack_deadline_seconds         = optional(number, 60)
    max_delivery_attempts        = optional(number, 10)
    minimum_backoff              = optional(string, "10s")
    maximum_backoff              = optional(string, "600s")
    message_retention_duration   = optional(string, "604800s")
    retain_acked_messages        = optional(bool, false)
    enable_exactly_once_delivery = optional(bool, false)
    enable_message_ordering      = optional(bool, false)
    filter                       = optional(string)
  }))
  default = {
    ingestion = {}
    analytics = {}
  }

  validation {
    condition = alltrue([for s in values(var.subscriptions) :
      s.ack_deadline_seconds >= 10 && s.ack_deadline_seconds <= 600
    ])
    error_message = "ack_deadline_seconds must be between 10 and 600."
  }

  validation {
    condition = alltrue([for s in values(var.subscriptions) :
      s.max_delivery_attempts >= 5 && s.max_delivery_attempts <= 100
    ])
    error_message = "max_delivery_attempts must be between 5 and 100."
  }

  validation {
    condition     = alltrue([for k in keys(var.subscriptions) : can(regex("^[a-z][a-z0-9-]{1,30}$", k))])
    error_message = "Subscription keys must be short lower-case names (letters, digits, hyphens)."
  }
}

variable "dead_letter_retention_duration" {
  description = "Retention of the inspection subscriptions on the dead-letter topics (and of the dead-letter topics themselves)."
  type        = string
  default     = "604800s"
}

variable "publisher_members" {
  description = "IAM principals allowed to publish to the events topic (e.g. `serviceAccount:shop@PROJECT.iam.gserviceaccount.com`). Public principals are rejected."
  type        = list(string)
  default     = []

  validation {
    condition     = length(setintersection(toset(var.publisher_members), toset(["allUsers", "allAuthenticatedUsers"]))) == 0
    error_message = "Topics are never public: allUsers / allAuthenticatedUsers are not allowed."
  }
}

variable "dead_letter_inspector_members" {
  description = "IAM principals allowed to pull from the dead-letter inspection subscriptions (operators, replay tooling)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(setintersection(toset(var.dead_letter_inspector_members), toset(["allUsers", "allAuthenticatedUsers"]))) == 0
    error_message = "Subscriptions are never public: allUsers / allAuthenticatedUsers are not allowed."
  }
}

variable "kms_key_name" {
  description = "Optional Cloud KMS key (projects/.../cryptoKeys/...) for CMEK on every topic. The Pub/Sub service agent needs roles/cloudkms.cryptoKeyEncrypterDecrypter on it. Null uses Google-managed keys."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels applied to every labelable resource."
  type        = map(string)
  default     = {}
}
