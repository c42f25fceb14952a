// One readable line per log entry: time, severity, the request (Cloud Run's or our access line), the
// message, the remaining structured fields, then the ids to follow it (trace, request id).
export interface EntryMetadata {
  timestamp?: Date | string;
  severity?: string;
  trace?: string;
  labels?: Record<string, string>;
  httpRequest?: { requestMethod?: string; requestUrl?: string; status?: number; latency?: { seconds?: string | number; nanos?: number } | string };
}

export function formatEntry(metadata: EntryMetadata, data: unknown): string {
  const time = metadata.timestamp instanceof Date ? metadata.timestamp.toISOString() : String(metadata.timestamp ?? "");
  const parts = [time, (metadata.severity ?? "DEFAULT").padEnd(8)];
  const request = metadata.httpRequest;
  if (request?.requestMethod) parts.push(`${request.requestMethod} ${request.requestUrl ?? ""} ${request.status ?? "-"} ${latencyMs(request.latency)}`);
  if (typeof data === "string") parts.push(data);
  else if (data && typeof data === "object") {
    const { message, ...rest } = data as Record<string, unknown>;
    if (message !== undefined && message !== "") parts.push(String(message));
    if (Object.keys(rest).length > 0) parts.push(JSON.stringify(rest));
  }
  const ids = [
    metadata.trace ? `trace=${metadata.trace.split("/").pop()}` : undefined,
    metadata.labels?.requestId ? `request=${metadata.labels.requestId}` : undefined,
  ].filter(Boolean);
  if (ids.length > 0) parts.push(`[${ids.join(" ")}]`);
  return parts.join(" ");
}

/** A protobuf Duration (decoded object or JSON string) as rounded milliseconds. */
function latencyMs(latency: NonNullable<EntryMetadata["httpRequest"]>["latency"]): string {
  if (latency === undefined) return "";
  const seconds = typeof latency === "string" ? Number(latency.replace(/s$/, "")) : Number(latency.seconds ?? 0) + (latency.nanos ?? 0) / 1e9;
  return Number.isFinite(seconds) ? `${Math.round(seconds * 1000)}ms` : "";
}
