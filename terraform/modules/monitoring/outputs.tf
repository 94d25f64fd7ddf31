output "notification_channel_ids" {
  description = "Slack notification channel IDs, keyed by severity (`page`, `ticket`)."
  value       = local.channels
}

output "service_id" {
  description = "ID of the custom Monitoring service the SLOs belong to."
  value       = google_monitoring_custom_service.pipeline.service_id
}

output "slo_names" {
  description = "Full resource names of the SLOs, keyed by SLO name (for select_slo_* filters)."
  value       = { for k, s in google_monitoring_slo.slo : k => s.name }
}

output "alert_policy_names" {
  description = "Resource names of all alert policies created here (burn-rate and operational)."
  value = concat(
    [for p in google_monitoring_alert_policy.burn_rate : p.name],
    [for p in google_monitoring_alert_policy.dataflow_failed : p.name],
    [for p in google_monitoring_alert_policy.dead_letters : p.name],
    [for p in google_monitoring_alert_policy.metric_absent : p.name],
    [for p in google_monitoring_alert_policy.reconciliation_drift : p.name],
  )
}

output "dashboard_id" {
  description = "ID of the pipeline dashboard."
  value       = google_monitoring_dashboard.pipeline.id
}

output "custom_metric_types" {
  description = "Types of the custom metric descriptors created here (writers need them to exist before writing)."
  value       = [for d in google_monitoring_metric_descriptor.custom : d.type]
}
