// Cloud Monitoring filters shared by alerts, dashboard and SLOs.
import type { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric/index.js";
import type { EventFields, EventName } from "../service/logging/events.js";
import { labelKey, userMetricType } from "./log-metrics.js";

/** The environment's Cloud Run service. */
export const cloudRunResource = (serviceName: string): string =>
  `resource.type="cloud_run_revision" AND resource.label.service_name="${serviceName}"`;

/** The environment's Cloud SQL instance. */
export const cloudSqlResource = (projectId: string, instanceName: string): string =>
  `resource.type="cloudsql_database" AND resource.label.database_id="${projectId}:${instanceName}"`;

/** A built-in metric of the Cloud Run service. */
export const cloudRunMetric = (serviceName: string, metricType: string): string =>
  `metric.type="${metricType}" AND ${cloudRunResource(serviceName)}`;

/** A log-based metric (it is written by the Cloud Run service). */
export const logMetric = (metric: LoggingMetric): string =>
  `metric.type="${userMetricType(metric)}" AND resource.type="cloud_run_revision"`;

/** `metric.label.<key>` of an event field; the field name is checked against the event's fields. */
export function eventLabel<E extends EventName>(_event: E, field: keyof EventFields<E> & string): string {
  return `metric.label.${labelKey(field)}`;
}

/** A filter on one value of an event's label field; field and value are checked against the event. */
export function eventLabelIs<E extends EventName, F extends keyof EventFields<E> & string>(event: E, field: F, value: EventFields<E>[F]): string {
  return `${eventLabel(event, field)}="${String(value)}"`;
}

/** A filter on several values of an event's label field (label values are code-chosen words: no regex escaping needed). */
export function eventLabelIn<E extends EventName, F extends keyof EventFields<E> & string>(event: E, field: F, values: EventFields<E>[F][]): string {
  return `${eventLabel(event, field)}=monitoring.regex.full_match("${values.map(String).join("|")}")`;
}
