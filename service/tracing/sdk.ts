// Starts OpenTelemetry tracing: a tracer provider sampling TRACE_SAMPLE_RATIO of new traces (and
// following the caller's decision for requests that arrive with one), spans batched to Cloud Trace.
//
// Cold start: the SDK is bundled (and code-cached) with the service, and starting it takes well under a
// millisecond. The Cloud Trace exporter is another matter: gRPC, protobuf and google-auth-library, about
// 150 ms to load here, and it reads .proto files from its package, so it cannot be bundled. It is
// required on the first export, from the batch processor's timer, never on a request's path; it is
// therefore a production dependency, present in the image's node_modules. Numbers: bench/ (cold start
// with tracing on and off).
import { createRequire } from "node:module";
import { context, diag, DiagLogLevel, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";

type CloudTraceExporter = typeof import("@google-cloud/opentelemetry-cloud-trace-exporter");

export interface TracingOptions {
  /** Fraction of new traces recorded, 0 < ratio <= 1. */
  sampleRatio: number;
  /** Where the spans go; default Cloud Trace of the project the credentials or the metadata server name. */
  exporter?: SpanExporter;
  projectId?: string;
  /** Where failed exports are reported (the SDK's own diagnostics, warnings and errors only). */
  log: { warn(message: string, meta?: Record<string, unknown>): unknown };
}

export interface Tracing {
  /** Exports what is buffered and stops tracing (SIGTERM: Cloud Run gives the process 10 s). */
  shutdown(): Promise<void>;
}

export function startTracing(options: TracingOptions): Tracing {
  const exporter = options.exporter ?? new LazyCloudTraceExporter(options.projectId);
  const provider = new BasicTracerProvider({
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
    resource: resourceFromAttributes({ "service.name": "pierre" }),
  });
  const report = (message: string, ...args: unknown[]) => options.log.warn("tracing: " + message, { details: args.map(String) });
  diag.setLogger({ error: report, warn: report, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      // A last export that fails (Cloud Trace unreachable) must not fail the process's shutdown.
      await provider.shutdown().catch((error: unknown) => report("final export failed", error));
      trace.disable();
      context.disable();
      diag.disable();
    },
  };
}

/** The Cloud Trace exporter, required when the first batch is exported (see the top of this file). */
class LazyCloudTraceExporter implements SpanExporter {
  private exporter: SpanExporter | undefined;

  constructor(private readonly projectId: string | undefined) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      this.exporter ??= this.load();
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    this.exporter.export(spans, done);
  }

  async shutdown(): Promise<void> {
    await this.exporter?.shutdown();
  }

  async forceFlush(): Promise<void> {
    await this.exporter?.forceFlush?.();
  }

  private load(): SpanExporter {
    // Resolved from beside the bundle (dist/ -> node_modules), or from this file under tsx.
    const { TraceExporter } = createRequire(import.meta.url)("@google-cloud/opentelemetry-cloud-trace-exporter") as CloudTraceExporter;
    return new TraceExporter({ projectId: this.projectId });
  }
}
