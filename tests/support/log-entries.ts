// What Cloud Logging makes of one structured stdout line of the service on Cloud Run, and the subset of
// the logging query language Pierre's metrics and tools use (see matchesFilter, and EXTRACT(path)), so
// tests can evaluate the stacks' filters and the log tool's queries against lines the service wrote.
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
export function valueAt(entry: object, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], entry);
}

/** LogSeverity numbers, for `severity>=NAME` (and the API's numeric enum encoding). */
export const SEVERITY_NUMBERS: Record<string, number> = {
  DEFAULT: 0, DEBUG: 100, INFO: 200, NOTICE: 300, WARNING: 400, ERROR: 500, CRITICAL: 600, ALERT: 700, EMERGENCY: 800,
};

/**
 * Whether an entry matches a filter of terms joined by AND: `path="value"`, `timestamp>="RFC 3339"`,
 * `severity>=NAME`. Any other syntax throws, so a filter that outgrows this subset fails its test.
 */
export function matchesFilter(entry: object, filter: string): boolean {
  return compileFilter(filter)(entry);
}

export function compileFilter(filter: string): (entry: object) => boolean {
  const terms = filter.trim() === "" ? [] : filter.split(" AND ").map((term) => compileTerm(term.trim()));
  return (entry) => terms.every((term) => term(entry));
}

function compileTerm(term: string): (entry: object) => boolean {
  const equality = /^([A-Za-z_][\w.]*)="([^"]*)"$/.exec(term);
  if (equality) return (entry) => valueAt(entry, equality[1]) === equality[2];
  const since = /^timestamp>="([^"]+)"$/.exec(term);
  if (since && !Number.isNaN(Date.parse(since[1]))) return (entry) => Date.parse(String(valueAt(entry, "timestamp"))) >= Date.parse(since[1]);
  const severity = /^severity>=([A-Z]+)$/.exec(term);
  if (severity && severity[1] in SEVERITY_NUMBERS) {
    return (entry) => SEVERITY_NUMBERS[String(valueAt(entry, "severity") ?? "DEFAULT")] >= SEVERITY_NUMBERS[severity[1]];
  }
  throw new Error(`unsupported filter term: ${term}`);
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
