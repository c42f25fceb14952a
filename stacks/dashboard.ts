// The environment's Cloud Monitoring dashboard: Cloud Run traffic, errors, latency, instances, cold
// starts and memory; Cloud SQL connections, CPU and disk; and a chart for every log-based metric of
// the service's events (tests/observability/dashboard.test.ts checks none is missing).
import { MonitoringDashboard } from "@cdktf/provider-google/lib/monitoring-dashboard/index.js";
import { Construct } from "constructs";
import { eventDefinition } from "../service/logging/events.js";
import type { ProjectApis } from "./apis.js";
import { labelKey, type LogMetrics } from "./log-metrics.js";
import { cloudRunMetric, cloudSqlResource, eventLabel, eventLabelIn, eventLabelIs, logMetric } from "./metric-filters.js";

export interface DashboardProps {
  env: string;
  projectId: string;
  serviceName: string;
  sqlInstanceName: string;
  logMetrics: LogMetrics;
  apis: ProjectApis;
}

interface Aggregation {
  alignmentPeriod: string;
  perSeriesAligner: string;
  crossSeriesReducer?: string;
  groupByFields?: string[];
}

interface DataSet {
  timeSeriesQuery: { timeSeriesFilter: { filter: string; aggregation: Aggregation } } | {
    timeSeriesFilterRatio: { numerator: { filter: string; aggregation: Aggregation }; denominator: { filter: string; aggregation: Aggregation } };
  };
  plotType: "LINE" | "STACKED_AREA";
  legendTemplate?: string;
}

interface Chart {
  title: string;
  dataSets: DataSet[];
}

const PERIOD = "60s";
const PERCENTILES = [50, 95, 99] as const;

const line = (filter: string, aggregation: Aggregation, legendTemplate?: string): DataSet => ({
  timeSeriesQuery: { timeSeriesFilter: { filter, aggregation } },
  plotType: "LINE",
  ...(legendTemplate ? { legendTemplate } : {}),
});
const ratePer = (filter: string, groupByFields: string[] = []): DataSet =>
  line(filter, { alignmentPeriod: PERIOD, perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM", groupByFields });
const mean = (filter: string, reducer = "REDUCE_MEAN"): DataSet =>
  line(filter, { alignmentPeriod: PERIOD, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: reducer });
/** p50, p95 and p99 of a distribution metric, across every series (revisions, instances, labels). */
const percentiles = (filter: string): DataSet[] =>
  PERCENTILES.map((p) =>
    line(filter, { alignmentPeriod: PERIOD, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: `REDUCE_PERCENTILE_${String(p).padStart(2, "0")}` }, `p${p}`),
  );
const ratio = (numerator: string, denominator: string): DataSet => {
  const aggregation = { alignmentPeriod: PERIOD, perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM" };
  return { timeSeriesQuery: { timeSeriesFilterRatio: { numerator: { filter: numerator, aggregation }, denominator: { filter: denominator, aggregation } } }, plotType: "LINE" };
};

export class Dashboard extends Construct {
  readonly dashboard: MonitoringDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const run = (metricType: string) => cloudRunMetric(props.serviceName, metricType);
    const sql = (metricType: string) => `metric.type="${metricType}" AND ${cloudSqlResource(props.projectId, props.sqlInstanceName)}`;
    const requests = run("run.googleapis.com/request_count");
    const { counters, distributions } = props.logMetrics;

    const charts: Chart[] = [
      { title: "Requests/s by response class", dataSets: [ratePer(requests, ["metric.label.response_code_class"])] },
      { title: "5xx ratio", dataSets: [ratio(`${requests} AND metric.label.response_code_class="5xx"`, requests)] },
      { title: "Request latency (ms)", dataSets: percentiles(run("run.googleapis.com/request_latencies")) },
      {
        title: "Instances by state",
        dataSets: [line(run("run.googleapis.com/container/instance_count"), { alignmentPeriod: PERIOD, perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["metric.label.state"] })],
      },
      { title: "Cold starts: container startup latency (ms)", dataSets: percentiles(run("run.googleapis.com/container/startup_latencies")) },
      { title: "Container memory utilization", dataSets: percentiles(run("run.googleapis.com/container/memory/utilizations")) },
      { title: "Cloud SQL connections", dataSets: [mean(sql("cloudsql.googleapis.com/database/postgresql/num_backends"), "REDUCE_SUM")] },
      { title: "Cloud SQL CPU utilization", dataSets: [mean(sql("cloudsql.googleapis.com/database/cpu/utilization"))] },
      { title: "Cloud SQL disk utilization", dataSets: [mean(sql("cloudsql.googleapis.com/database/disk/utilization"))] },
      {
        title: "Credential cache hit ratio",
        dataSets: [
          ratio(
            `${logMetric(counters.http_request)} AND ${eventLabelIs("http_request", "credentialCache", "hit")}`,
            `${logMetric(counters.http_request)} AND ${eventLabelIn("http_request", "credentialCache", ["hit", "miss"])}`,
          ),
        ],
      },
      { title: "Tool calls/s per tenant bucket", dataSets: [ratePer(logMetric(counters.tool_call), [eventLabel("tool_call", "tenantBucket")])] },
      // One chart per event counter, split by its first label, and one per latency distribution.
      ...Object.entries(counters).map(([event, metric]) => {
        const [firstLabel] = eventDefinition(event as keyof typeof counters).labels;
        return { title: `${event} events/s by ${firstLabel}`, dataSets: [ratePer(logMetric(metric), [`metric.label.${labelKey(firstLabel)}`])] };
      }),
      ...distributions.map(({ event, field, metric }) => ({ title: `${event} ${field}`, dataSets: percentiles(logMetric(metric)) })),
    ];

    this.dashboard = new MonitoringDashboard(this, "dashboard", {
      dashboardJson: JSON.stringify({ displayName: `Pierre ${props.env}`, mosaicLayout: { columns: 48, tiles: tiles(charts) } }),
      dependsOn: [props.apis.api("monitoring.googleapis.com")],
    });
  }
}

/** Two charts per row, each half the 48-column grid wide. */
function tiles(charts: Chart[]) {
  const width = 24;
  const height = 16;
  return charts.map((chart, index) => ({
    xPos: (index % 2) * width,
    yPos: Math.floor(index / 2) * height,
    width,
    height,
    widget: { title: chart.title, xyChart: { dataSets: chart.dataSets, timeshiftDuration: "0s", yAxis: { scale: "LINEAR" } } },
  }));
}
