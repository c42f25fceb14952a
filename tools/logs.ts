// Operator tool: `npm run logs -- <env> [--trace ID] [--request-id ID] [--severity ERROR] [--since 1h] [--limit N]`
// prints the environment's Cloud Run log entries (the service's lines and Cloud Run's request log),
// oldest first, one readable line each. Reads with @google-cloud/logging as the caller's Application
// Default Credentials (gcloud auth application-default login); never part of the service.
// LOGGING_API_ENDPOINT=http://host:port sends the REST API calls to that address instead, without
// credentials (a local fake or emulator).
import { parseArgs } from "node:util";
import type { LoggingOptions } from "@google-cloud/logging";
import { z } from "zod";
import { loadConfiguration } from "../environments/load.js";
import { ENVIRONMENT_NAMES } from "../environments/schema.js";
import { durationSchema } from "../service/duration.js";
import { serviceName } from "../stacks/service.js";
import { formatEntry, type EntryMetadata } from "./logs/format.js";
import { logFilter, requestId, SEVERITIES, traceId } from "./logs/query.js";

const USAGE = `usage: npm run logs -- <${ENVIRONMENT_NAMES.join("|")}> [--trace ID] [--request-id ID] [--severity ERROR] [--since 1h] [--limit 100]

  --trace ID        one trace (32 hex digits), e.g. from an access line or the X-Cloud-Trace-Context header
  --request-id ID   one request, by the X-Request-Id the service answered with
  --severity S      this severity and above: ${SEVERITIES.join(", ")}
  --since D         how far back: 30m, 1h (default), 7d
  --limit N         the newest N entries at most (default 100), printed oldest first
The project is PIERRE_<ENV>_PROJECT_ID, as for the stacks.`;

const argsSchema = z.object({
  env: z.enum(ENVIRONMENT_NAMES),
  trace: traceId.optional(),
  "request-id": requestId.optional(),
  severity: z.enum(SEVERITIES).optional(),
  since: durationSchema.prefault("1h"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: Object.fromEntries(["trace", "request-id", "severity", "since", "limit"].map((flag) => [flag, { type: "string" as const }])),
  });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const parsed = argsSchema.safeParse({ ...values, severity: values.severity?.toUpperCase(), env: positionals[0] });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`).join("\n"));
  const args = parsed.data;

  const environment = loadConfiguration(process.env).environments.find((config) => config.name === args.env)!;
  const projectVariable = `PIERRE_${args.env.toUpperCase()}_PROJECT_ID`;
  if (environment.placeholders.includes(projectVariable)) throw new UsageError(`set ${projectVariable} to the ${args.env} project id`);
  const projectId = environment.projectId;

  const filter = logFilter({
    projectId, serviceName: serviceName(args.env), since: new Date(Date.now() - args.since),
    trace: args.trace, requestId: args["request-id"], severity: args.severity,
  });
  // Loaded only now: it takes seconds, and a usage error should not wait for it.
  const { Logging } = await import("@google-cloud/logging");
  const logging = new Logging({ projectId, ...endpointOptions(process.env.LOGGING_API_ENDPOINT) });
  const [entries] = await logging.getEntries({
    resourceNames: [`projects/${projectId}`], filter, orderBy: "timestamp desc", pageSize: args.limit, autoPaginate: false,
  });
  for (const entry of entries.reverse()) console.log(formatEntry(entry.metadata as EntryMetadata, entry.data));
  if (entries.length === 0) console.error(`no entries for ${filter}`);
  return 0;
}

/** The REST transport to a given address, without credentials; by default gRPC to Google with ADC. */
function endpointOptions(endpoint: string | undefined): LoggingOptions {
  if (!endpoint) return {};
  const url = new URL(endpoint);
  // What google-gax's REST transport asks of an auth client: headers to add, and a fetch.
  const anonymous = { getRequestHeaders: async () => new Headers(), fetch: (input: string, init: RequestInit) => fetch(input, init) };
  // port and protocol are options of the generated API client underneath, which receives these as they are.
  const options = {
    apiEndpoint: url.hostname,
    port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
    protocol: url.protocol.replace(":", ""),
    fallback: true,
    auth: anonymous as unknown as LoggingOptions["auth"],
  };
  return options;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return error instanceof UsageError ? 2 : 1;
});
