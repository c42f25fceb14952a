// Service-level objectives of the environment, as Cloud Monitoring SLOs on a custom service, with
// multi-window, multi-burn-rate alerts (The Site Reliability Workbook, "Alerting on SLOs"):
//   fast burn: 14.4x the sustainable rate over 1 h, still over 5 min: 2% of a 28-day budget in 1 h, pages;
//   slow burn:    6x over 6 h, still over 30 min: 5% of the budget in 6 h, to Slack.
// The short window makes an alert close soon after the burning stops.
import type { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric/index.js";
import { MonitoringCustomService } from "@cdktf/provider-google/lib/monitoring-custom-service/index.js";
import { MonitoringSlo, type MonitoringSloRequestBasedSli } from "@cdktf/provider-google/lib/monitoring-slo/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { alertPolicy, type AlertTarget, type Severity } from "./alert-policy.js";
import { cloudRunMetric, eventLabelIs, logMetric } from "./metric-filters.js";

export interface SlosProps extends AlertTarget {
  serviceName: string;
  /** The http_request latency distribution (stacks/log-metrics.ts): only it knows the route. */
  httpRequestLatency: LoggingMetric;
  /** The wait after the log-based metrics are created (LogMetrics.propagated). */
  metricsPropagated: ITerraformDependable;
}

export const SLO_PERIOD_DAYS = 28;
export const AVAILABILITY_GOAL = 0.999;
export const LATENCY_GOAL = 0.95;
export const LATENCY_THRESHOLD_MS = 500;

interface BurnRateRule {
  id: string;
  label: string;
  severity: Severity;
  rate: number;
  long: string;
  short: string;
}

export const BURN_RATE_RULES: BurnRateRule[] = [
  { id: "fast-burn", label: "fast burn", severity: "CRITICAL", rate: 14.4, long: "3600s", short: "300s" },
  { id: "slow-burn", label: "slow burn", severity: "WARNING", rate: 6, long: "21600s", short: "1800s" },
];

export class Slos extends Construct {
  readonly service: MonitoringCustomService;
  readonly objectives: MonitoringSlo[] = [];

  constructor(scope: Construct, id: string, props: SlosProps) {
    super(scope, id);
    this.service = new MonitoringCustomService(this, "service", {
      serviceId: `pierre-${props.env}`,
      displayName: `Pierre ${props.env}`,
      dependsOn: [props.monitoringApi],
    });
    const requestCount = cloudRunMetric(props.serviceName, "run.googleapis.com/request_count");

    this.objective(props, {
      id: "availability",
      name: "Availability",
      goal: AVAILABILITY_GOAL,
      summary: `${AVAILABILITY_GOAL * 100}% of requests answered without a 5xx`,
      // Cloud Run's own count, so requests that never reached a container (no instance, crash) count too.
      sli: { goodTotalRatio: { badServiceFilter: `${requestCount} AND metric.label.response_code_class="5xx"`, totalServiceFilter: requestCount } },
    });
    this.objective(props, {
      id: "mcp-latency",
      name: "MCP latency",
      goal: LATENCY_GOAL,
      summary: `${LATENCY_GOAL * 100}% of /mcp requests answered within ${LATENCY_THRESHOLD_MS} ms`,
      sli: {
        distributionCut: {
          distributionFilter: `${logMetric(props.httpRequestLatency)} AND ${eventLabelIs("http_request", "route", "mcp")}`,
          range: { max: LATENCY_THRESHOLD_MS },
        },
      },
      dependsOn: [props.httpRequestLatency, props.metricsPropagated],
    });
  }

  private objective(
    props: SlosProps,
    spec: { id: string; name: string; goal: number; summary: string; sli: MonitoringSloRequestBasedSli; dependsOn?: ITerraformDependable[] },
  ): void {
    const slo = new MonitoringSlo(this, spec.id, {
      service: this.service.serviceId,
      sloId: spec.id,
      displayName: `${spec.summary} (${SLO_PERIOD_DAYS} days)`,
      goal: spec.goal,
      rollingPeriodDays: SLO_PERIOD_DAYS,
      requestBasedSli: spec.sli,
      dependsOn: spec.dependsOn,
    });
    this.objectives.push(slo);
    for (const rule of BURN_RATE_RULES) {
      const condition = (window: string) => ({
        displayName: `${spec.name} burn rate over ${window} > ${rule.rate}`,
        conditionThreshold: {
          filter: `select_slo_burn_rate("${slo.name}", "${window}")`,
          comparison: "COMPARISON_GT",
          thresholdValue: rule.rate,
          duration: "0s",
        },
      });
      alertPolicy(this, props, {
        id: `${spec.id}-${rule.id}`,
        name: `${spec.name} SLO ${rule.label}`,
        severity: rule.severity,
        runbook: `The error budget of "${spec.summary}" is burning ${rule.rate}x faster than the ${SLO_PERIOD_DAYS}-day objective allows, over ${rule.long} and still over ${rule.short}.`,
        combiner: "AND",
        conditions: [condition(rule.long), condition(rule.short)],
        dependsOn: [slo],
      });
    }
  }
}
