// A local stand-in for the Cloud Logging API's entries.list over REST (google-gax's HTTP/1.1 "fallback"
// transport): POST /v2/entries:list with a JSON ListLogEntriesRequest, answered with a
// ListLogEntriesResponse. https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list
// It filters with the part of the logging query language Pierre's tools send (log-entries.ts) and
// answers anything else with the API's 400 INVALID_ARGUMENT, orders by timestamp, pages by
// pageSize/pageToken, and writes enums as numbers when asked to ($alt=json;enum-encoding=int), as the
// real API does.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { compileFilter, SEVERITY_NUMBERS } from "./log-entries.js";

/** A LogEntry as JSON (https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry). */
export type LogEntryJson = Record<string, unknown> & { timestamp: string; severity?: string };

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export async function startFakeLoggingApi(entries: LogEntryJson[]) {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = JSON.parse((await readBody(req)) || "{}") as Record<string, unknown>;
    requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, body });
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(json));
    };
    if (req.method !== "POST" || url.pathname !== "/v2/entries:list") {
      return answer(404, { error: { code: 404, message: `no such method ${req.method} ${url.pathname}`, status: "NOT_FOUND" } });
    }
    const { resourceNames, filter = "", orderBy = "timestamp asc", pageSize = 50, pageToken } = body as {
      resourceNames?: string[]; filter?: string; orderBy?: string; pageSize?: number; pageToken?: string;
    };
    if (!Array.isArray(resourceNames) || resourceNames.length === 0) {
      return answer(400, { error: { code: 400, message: "resourceNames: at least one is required", status: "INVALID_ARGUMENT" } });
    }
    let matches: (entry: object) => boolean;
    try {
      matches = compileFilter(filter);
    } catch (error) {
      return answer(400, { error: { code: 400, message: (error as Error).message, status: "INVALID_ARGUMENT" } });
    }
    const direction = orderBy === "timestamp desc" ? -1 : 1;
    const selected = entries.filter(matches).sort((a, b) => direction * (Date.parse(a.timestamp) - Date.parse(b.timestamp)));
    const start = pageToken ? Number(pageToken) : 0;
    const page = selected.slice(start, start + pageSize);
    const numericEnums = (url.searchParams.get("$alt") ?? "").includes("enum-encoding=int");
    answer(200, {
      entries: page.map((entry) => (numericEnums && entry.severity ? { ...entry, severity: SEVERITY_NUMBERS[entry.severity] } : entry)),
      ...(start + pageSize < selected.length ? { nextPageToken: String(start + pageSize) } : {}),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
