// The Cloud Logging query `npm run logs` sends: one environment's Cloud Run service (its own lines and
// Cloud Run's request log), since a time, optionally one trace, one request id, a minimum severity.
// Syntax: https://cloud.google.com/logging/docs/view/logging-query-language
import { z } from "zod";

/** LogSeverity names, least to most severe. */
export const SEVERITIES = ["DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface LogQuery {
  projectId: string;
  serviceName: string;
  since: Date;
  /** A trace id (32 hex digits), as in the access line or a trace URL. */
  trace?: string;
  /** The request id the service echoes in X-Request-Id and writes as the entry label requestId. */
  requestId?: string;
  severity?: Severity;
}

export const traceId = z.string().regex(/^[0-9a-f]{32}$/, "32 lowercase hex digits");
export const requestId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, "the X-Request-Id value");

export function logFilter(query: LogQuery): string {
  const terms = [
    `resource.type="cloud_run_revision"`,
    `resource.labels.service_name="${query.serviceName}"`,
    `timestamp>="${query.since.toISOString()}"`,
  ];
  if (query.trace) terms.push(`trace="projects/${query.projectId}/traces/${query.trace}"`);
  if (query.requestId) terms.push(`labels.requestId="${query.requestId}"`);
  if (query.severity) terms.push(`severity>=${query.severity}`);
  return terms.join(" AND ");
}
