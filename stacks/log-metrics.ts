// Log-based metrics for every structured event of the service (service/logging/events.ts): a counter
// per event, labelled by the event's label fields, and a distribution per value field. Derived from the
// service's own catalog, so an event or field the service renames is renamed here too, and
// tests/observability/events-contract.test.ts checks the filters against lines the service writes.
import { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric/index.js";
import { Construct } from "constructs";
import { TimeSleep } from "./time-sleep.js";
import { EVENT_KEY, EVENT_NAMES, eventDefinition, type EventFields, type EventName } from "../service/logging/events.js";
import type { ProjectApis } from "./apis.js";

export interface LogMetricsProps {
  serviceName: string;
  apis: ProjectApis;
}

/** Bucket bounds of every latency distribution, in ms; 500 is one, so the latency SLO counts exactly. */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 200, 300, 500, 750, 1000, 2000, 5000, 10_000, 30_000];

export interface Distribution {
  event: EventName;
  field: string;
  metric: LoggingMetric;
}

/** The metric label key of an event field: Cloud Monitoring label keys are snake_case. */
export function labelKey(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The Cloud Monitoring metric type of a log-based metric. */
export function userMetricType(metric: LoggingMetric): string {
  return `logging.googleapis.com/user/${metric.name}`;
}

export class LogMetrics extends Construct {
  readonly counters: Record<EventName, LoggingMetric>;
  readonly distributions: Distribution[] = [];
  /**
   * Alert policies and SLOs on these metrics depend on this, not on the metrics: one created in the same
   * apply as its metric fails with 404 for a few minutes (hashicorp/terraform-provider-google#11102), so
   * the first apply waits once, after every metric exists.
   */
  readonly propagated: TimeSleep;

  constructor(scope: Construct, id: string, props: LogMetricsProps) {
    super(scope, id);
    const loggingApi = props.apis.api("logging.googleapis.com");
    const metric = (name: string, event: EventName, config: Partial<ConstructorParameters<typeof LoggingMetric>[2]>) => {
      const definition = eventDefinition(event);
      return new LoggingMetric(this, name.replaceAll("_", "-"), {
        name: `pierre/${name}`,
        description: definition.description,
        filter: [
          `resource.type="cloud_run_revision"`,
          `resource.labels.service_name="${props.serviceName}"`,
          `jsonPayload.${EVENT_KEY}="${event}"`,
        ].join(" AND "),
        labelExtractors: Object.fromEntries(definition.labels.map((field) => [labelKey(field), `EXTRACT(jsonPayload.${field})`])),
        ...config,
        metricDescriptor: {
          metricKind: "DELTA",
          valueType: "INT64",
          unit: "1",
          labels: definition.labels.map((field) => ({ key: labelKey(field), valueType: "STRING" })),
          ...config.metricDescriptor,
        },
        dependsOn: [loggingApi],
      });
    };

    this.counters = Object.fromEntries(EVENT_NAMES.map((event) => [event, metric(event, event, {})])) as Record<EventName, LoggingMetric>;
    for (const event of EVENT_NAMES) {
      for (const field of eventDefinition(event).values) {
        const distribution = metric(`${event}_${labelKey(field)}`, event, {
          valueExtractor: `EXTRACT(jsonPayload.${field})`,
          bucketOptions: { explicitBuckets: { bounds: LATENCY_BOUNDS_MS } },
          metricDescriptor: { metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "ms" },
        });
        this.distributions.push({ event, field, metric: distribution });
      }
    }
    const all = [...Object.values(this.counters), ...this.distributions.map((distribution) => distribution.metric)];
    this.propagated = new TimeSleep(this, "propagation", {
      createDuration: "180s",
      // A re-created metric (a new name) makes the sleep wait again.
      triggers: { metrics: all.map((created) => created.name).join(",") },
      dependsOn: all,
    });
  }

  /** The distribution of one value field of an event. */
  distribution<E extends EventName>(event: E, field: keyof EventFields<E> & string): LoggingMetric {
    const found = this.distributions.find((entry) => entry.event === event && entry.field === field);
    if (!found) throw new Error(`no distribution for ${event}.${field}`);
    return found.metric;
  }
}
