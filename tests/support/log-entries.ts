// What Cloud Logging makes of one structured stdout line of the service on Cloud Run, and the subset of
// the logging query language our log-based metrics use (terms `path="value"` joined by AND, and
// EXTRACT(path)), so tests can evaluate the stacks' filters against lines the service really wrote.
// Shape: https://cloud.google.com/logging/docs/structured-logging (special fields are lifted out of
// jsonPayload; everything else stays in it).

export interface LogEntry {
  resource: { type: string; labels: Record<string, string> };
  severity: string;
  jsonPayload: Record<string, unknown>;
}

const LIFTED = ["severity", "time", "httpRequest", "logging.googleapis.com/trace", "logging.googleapis.com/spanId", "logging.googleapis.com/trace_sampled", "logging.googleapis.com/labels"];

export function cloudRunEntry(line: Record<string, unknown>, serviceName: string): LogEntry {
  const jsonPayload = Object.fromEntries(Object.entries(line).filter(([key]) => !LIFTED.includes(key)));
  return {
    resource: { type: "cloud_run_revision", labels: { service_name: serviceName } },
    severity: String(line.severity),
    jsonPayload,
  };
}

/** The value at a dotted path of an entry (resource.labels.service_name, jsonPayload.event...). */
export function valueAt(entry: LogEntry, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], entry);
}

/** Whether the entry matches a filter of `path="value"` terms joined by AND; other syntax throws. */
export function matchesFilter(entry: LogEntry, filter: string): boolean {
  return filter.split(" AND ").every((term) => {
    const match = /^([A-Za-z_][\w.]*)="([^"]*)"$/.exec(term.trim());
    if (!match) throw new Error(`unsupported filter term: ${term}`);
    return valueAt(entry, match[1]) === match[2];
  });
}

/** The path of an `EXTRACT(path)` extractor. */
export function extractedPath(extractor: string): string {
  const match = /^EXTRACT\(([\w.]+)\)$/.exec(extractor);
  if (!match) throw new Error(`unsupported extractor: ${extractor}`);
  return match[1];
}

/**
 * The LogEntry (REST JSON) Cloud Logging stores for a structured stdout line of the service on Cloud
 * Run: special fields lifted to their LogEntry fields, everything else in jsonPayload.
 */
export function storedLogEntry(line: Record<string, unknown>, projectId: string, serviceName: string): Record<string, unknown> & { timestamp: string } {
  const entry = cloudRunEntry(line, serviceName);
  const lifted: Record<string, unknown> = {
    trace: line["logging.googleapis.com/trace"],
    spanId: line["logging.googleapis.com/spanId"],
    traceSampled: line["logging.googleapis.com/trace_sampled"],
    labels: line["logging.googleapis.com/labels"],
    httpRequest: line.httpRequest,
  };
  return {
    logName: `projects/${projectId}/logs/run.googleapis.com%2Fstdout`,
    resource: { ...entry.resource, labels: { ...entry.resource.labels, project_id: projectId, location: "us-central1" } },
    timestamp: String(line.time),
    severity: entry.severity,
    jsonPayload: entry.jsonPayload,
    ...Object.fromEntries(Object.entries(lifted).filter(([, value]) => value !== undefined)),
  };
}
