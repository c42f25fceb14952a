// The monitoring half of issue 11 as synthesized: dashboard coverage, runbook links, SLOs, and the
// dependency of every alert on the log-based metrics it reads.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { headingAnchor } from "../../stacks/alert-policy.js";
import { AVAILABILITY_GOAL, LATENCY_GOAL, LATENCY_THRESHOLD_MS, SLO_PERIOD_DAYS } from "../../stacks/slo.js";
import { addresses, listOf, resourcesOf, single, synthesizeAll, type Json } from "../support/infra/synth.js";

const stacks = synthesizeAll();
const ENVS = ["dev", "staging", "prod"] as const;

// Built-in metric types the dashboard may chart, as listed by Google:
// https://cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-run and #gcp-cloudsql
const BUILT_IN_METRICS = [
  "run.googleapis.com/request_count",
  "run.googleapis.com/request_latencies",
  "run.googleapis.com/container/instance_count",
  "run.googleapis.com/container/startup_latencies",
  "run.googleapis.com/container/memory/utilizations",
  "cloudsql.googleapis.com/database/postgresql/num_backends",
  "cloudsql.googleapis.com/database/cpu/utilization",
  "cloudsql.googleapis.com/database/disk/utilization",
];
const USER_METRIC = /^logging\.googleapis\.com\/user\/\$\{google_logging_metric\.([\w-]+)\.name\}$/;

/** Every time-series filter of a dashboard, with the chart it is in. */
function dashboardQueries(name: (typeof ENVS)[number]): Array<{ chart: string; filter: string; groupBy: string[] }> {
  const dashboard = JSON.parse(single(stacks[name], "google_monitoring_dashboard").dashboard_json);
  return dashboard.mosaicLayout.tiles.flatMap((tile: Json) =>
    tile.widget.xyChart.dataSets.flatMap((dataSet: Json) => {
      const query = dataSet.timeSeriesQuery;
      const filters = query.timeSeriesFilter ? [query.timeSeriesFilter] : [query.timeSeriesFilterRatio.numerator, query.timeSeriesFilterRatio.denominator];
      return filters.map((f: Json) => ({ chart: tile.widget.title, filter: f.filter, groupBy: f.aggregation.groupByFields ?? [] }));
    }),
  );
}

const metricTypeOf = (filter: string) => /metric\.type="([^"]+)"/.exec(filter)![1];

describe("dashboard", () => {
  it.each(ENVS)("%s: every chart reads a metric that exists, grouped by labels it has", (name) => {
    const logMetrics = resourcesOf(stacks[name], "google_logging_metric");
    for (const { chart, filter, groupBy } of dashboardQueries(name)) {
      const type = metricTypeOf(filter);
      const user = USER_METRIC.exec(type);
      if (!user) {
        expect(BUILT_IN_METRICS, chart).toContain(type);
        continue;
      }
      const metric = logMetrics[user[1]];
      expect(metric, chart).toBeDefined();
      const labels = metric.metric_descriptor.labels.map((label: Json) => `metric.label.${label.key}`);
      for (const field of groupBy) expect(labels, chart).toContain(field);
    }
  });

  it.each(ENVS)("%s: charts every log-based metric and every platform metric the design lists", (name) => {
    const charted = new Set(dashboardQueries(name).map(({ filter }) => metricTypeOf(filter)));
    for (const metric of Object.keys(resourcesOf(stacks[name], "google_logging_metric"))) {
      expect(charted).toContain(`logging.googleapis.com/user/\${google_logging_metric.${metric}.name}`);
    }
    for (const type of BUILT_IN_METRICS) expect(charted).toContain(type);
  });

  it.each(ENVS)("%s: request latency shows p50, p95 and p99, and Cloud SQL charts this environment's instance", (name) => {
    const queries = dashboardQueries(name);
    const latency = queries.filter(({ filter }) => filter.includes("run.googleapis.com/request_latencies"));
    expect(latency).toHaveLength(3);
    const dashboard = single(stacks[name], "google_monitoring_dashboard").dashboard_json as string;
    for (const p of ["REDUCE_PERCENTILE_50", "REDUCE_PERCENTILE_95", "REDUCE_PERCENTILE_99"]) expect(dashboard).toContain(p);
    for (const { filter } of queries.filter(({ filter }) => filter.includes("cloudsql.googleapis.com"))) {
      expect(filter).toMatch(/resource\.type="cloudsql_database" AND resource\.label\.database_id="[^"]+:\$\{google_sql_database_instance\.[\w-]+\.name\}"/);
    }
    for (const { filter } of queries.filter(({ filter }) => filter.includes("run.googleapis.com"))) {
      expect(filter).toContain(`resource.label.service_name="pierre-${name}"`);
    }
  });
});

describe("alert policies", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const anchors = new Set([...readme.matchAll(/^#{2,4} (.+)$/gm)].map((match) => headingAnchor(match[1])));

  it.each(ENVS)("%s: every alert's documentation links a runbook section that exists in the README", (name) => {
    for (const policy of listOf(stacks[name], "google_monitoring_alert_policy")) {
      const link = /\(README\.md#([\w-]+)\)$/.exec(policy.documentation.content);
      expect(link, policy.display_name).not.toBeNull();
      expect(anchors, policy.display_name).toContain(link![1]);
    }
  });

  it.each(ENVS)("%s: an alert on a log-based metric depends on that metric", (name) => {
    const stack = stacks[name];
    const metricAddresses = addresses(stack).filter((address) => address.startsWith("google_logging_metric."));
    let checked = 0;
    for (const policy of listOf(stack, "google_monitoring_alert_policy")) {
      const text = JSON.stringify(policy.conditions);
      for (const address of metricAddresses.filter((address) => text.includes(`\${${address}.name}`))) {
        expect(policy.depends_on, policy.display_name).toContain(address);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});

describe("SLOs", () => {
  it.each(ENVS)("%s: availability and /mcp latency over 28 rolling days on the environment's custom service", (name) => {
    const stack = stacks[name];
    const service = single(stack, "google_monitoring_custom_service");
    expect(service.service_id).toBe(`pierre-${name}`);
    const slos = listOf(stack, "google_monitoring_slo");
    expect(slos.map((slo) => [slo.slo_id, slo.goal, slo.rolling_period_days])).toEqual([
      ["availability", AVAILABILITY_GOAL, SLO_PERIOD_DAYS],
      ["mcp-latency", LATENCY_GOAL, SLO_PERIOD_DAYS],
    ]);
    expect([AVAILABILITY_GOAL, LATENCY_GOAL, LATENCY_THRESHOLD_MS, SLO_PERIOD_DAYS]).toEqual([0.999, 0.95, 500, 28]);
    const [availability, latency] = slos;
    expect(availability.request_based_sli.good_total_ratio.bad_service_filter).toContain('metric.label.response_code_class="5xx"');
    const cut = latency.request_based_sli.distribution_cut;
    expect(cut.range).toEqual({ max: 500 });
    expect(cut.distribution_filter).toContain('metric.label.route="mcp"');
    // The cut is exact only on a bucket boundary of the distribution it reads.
    const metricName = /google_logging_metric\.([\w-]+)\.name/.exec(cut.distribution_filter)![1];
    expect(resourcesOf(stack, "google_logging_metric")[metricName].bucket_options.explicit_buckets.bounds).toContain(500);
  });

  it.each(ENVS)("%s: multi-window burn-rate alerts: fast burn pages, slow burn goes to Slack", (name) => {
    const stack = stacks[name];
    // Dev has no Slack channel (optional there): its slow-burn alerts notify nobody.
    const slack = Object.entries(resourcesOf(stack, "google_monitoring_notification_channel")).find(([, c]) => (c as Json).type === "slack")?.[0];
    const burn = listOf(stack, "google_monitoring_alert_policy").filter((policy) => /SLO (fast|slow) burn$/.test(policy.display_name));
    expect(burn).toHaveLength(4);
    for (const policy of burn) {
      expect(policy.combiner).toBe("AND");
      const windows = policy.conditions.map((condition: Json) => /select_slo_burn_rate\("\$\{google_monitoring_slo\.[\w-]+\.name\}", "(\d+s)"\)/.exec(condition.condition_threshold.filter)![1]);
      const fast = policy.display_name.endsWith("fast burn");
      expect(windows).toEqual(fast ? ["3600s", "300s"] : ["21600s", "1800s"]);
      expect(policy.conditions.map((condition: Json) => condition.condition_threshold.threshold_value)).toEqual(fast ? [14.4, 14.4] : [6, 6]);
      expect(policy.severity).toBe(fast ? "CRITICAL" : "WARNING");
      if (!fast) expect(policy.notification_channels).toEqual(slack ? [`\${google_monitoring_notification_channel.${slack}.id}`] : []);
      if (fast && name === "prod") expect(policy.notification_channels).toHaveLength(2);
    }
  });
});
