// Alerts on the service's own events (log-based metrics of stacks/log-metrics.ts). Each policy depends
// on the metrics it reads: an alert on a log-based metric that does not exist yet is refused.
import { Construct } from "constructs";
import { alertPolicy, type AlertTarget } from "./alert-policy.js";
import type { LogMetrics } from "./log-metrics.js";
import { eventLabel, eventLabelIs, logMetric } from "./metric-filters.js";

export interface EventAlertsProps extends AlertTarget {
  logMetrics: LogMetrics;
}

/** Fraction of a provider's calls failing over 10 minutes that is an outage, not noise. */
export const PROVIDER_FAILURE_RATIO = 0.2;
/** Failed provider token refreshes per provider in 15 minutes: a few users may revoke, a wave is a fault. */
export const TOKEN_REFRESH_FAILURES_PER_15_MINUTES = 10;
/** Failed credentials or passwords in 5 minutes across instances: more is credential stuffing or a broken client. */
export const AUTH_FAILURES_PER_5_MINUTES = 100;
/** Fraction of tool calls ending in an internal error over 10 minutes. */
export const TOOL_INTERNAL_ERROR_RATIO = 0.05;

export class EventAlerts extends Construct {
  constructor(scope: Construct, id: string, props: EventAlertsProps) {
    super(scope, id);
    const { counters } = props.logMetrics;
    const sumBy = (period: string, aligner: string, groupByFields: string[] = []) => [
      { alignmentPeriod: period, perSeriesAligner: aligner, crossSeriesReducer: "REDUCE_SUM", groupByFields },
    ];
    const provider = eventLabel("external_api_call", "provider");

    alertPolicy(this, props, {
      id: "provider-failure-rate",
      name: "Provider API failure rate above 20%",
      severity: "WARNING",
      runbook: `More than ${PROVIDER_FAILURE_RATIO * 100}% of one provider's calls failed (timeout, network, 429 or 5xx) over 10 minutes.`,
      dependsOn: [counters.external_api_error, counters.external_api_call, props.logMetrics.propagated],
      conditions: [
        {
          displayName: "external_api_error / external_api_call per provider > 20% over 10 min",
          conditionThreshold: {
            filter: logMetric(counters.external_api_error),
            denominatorFilter: logMetric(counters.external_api_call),
            aggregations: sumBy("600s", "ALIGN_RATE", [provider]),
            denominatorAggregations: sumBy("600s", "ALIGN_RATE", [provider]),
            comparison: "COMPARISON_GT",
            thresholdValue: PROVIDER_FAILURE_RATIO,
            duration: "0s",
          },
        },
      ],
    });

    alertPolicy(this, props, {
      id: "token-refresh-failures",
      name: "Provider token refreshes failing",
      severity: "WARNING",
      runbook: `More than ${TOKEN_REFRESH_FAILURES_PER_15_MINUTES} provider token refreshes failed for one provider in 15 minutes.`,
      dependsOn: [counters.provider_token_refresh, props.logMetrics.propagated],
      conditions: [
        {
          displayName: `Failed provider_token_refresh per provider > ${TOKEN_REFRESH_FAILURES_PER_15_MINUTES} in 15 min`,
          conditionThreshold: {
            filter: `${logMetric(counters.provider_token_refresh)} AND ${eventLabelIs("provider_token_refresh", "outcome", "failed")}`,
            aggregations: sumBy("900s", "ALIGN_DELTA", [eventLabel("provider_token_refresh", "provider")]),
            comparison: "COMPARISON_GT",
            thresholdValue: TOKEN_REFRESH_FAILURES_PER_15_MINUTES,
            duration: "0s",
          },
        },
      ],
    });

    alertPolicy(this, props, {
      id: "auth-failure-spike",
      name: "Authentication failure spike",
      severity: "WARNING",
      runbook: `More than ${AUTH_FAILURES_PER_5_MINUTES} credentials or passwords failed to verify in 5 minutes.`,
      dependsOn: [counters.auth_failure, props.logMetrics.propagated],
      conditions: [
        {
          displayName: `auth_failure > ${AUTH_FAILURES_PER_5_MINUTES} in 5 min`,
          conditionThreshold: {
            filter: logMetric(counters.auth_failure),
            aggregations: sumBy("300s", "ALIGN_DELTA"),
            comparison: "COMPARISON_GT",
            thresholdValue: AUTH_FAILURES_PER_5_MINUTES,
            duration: "0s",
          },
        },
      ],
    });

    alertPolicy(this, props, {
      id: "tool-error-rate",
      name: "MCP tool internal errors above 5%",
      severity: "WARNING",
      runbook: `More than ${TOOL_INTERNAL_ERROR_RATIO * 100}% of tool calls failed with an internal error over 10 minutes.`,
      dependsOn: [counters.tool_call, props.logMetrics.propagated],
      conditions: [
        {
          displayName: "tool_call internal_error / all tool calls > 5% over 10 min",
          conditionThreshold: {
            filter: `${logMetric(counters.tool_call)} AND ${eventLabelIs("tool_call", "outcome", "internal_error")}`,
            denominatorFilter: logMetric(counters.tool_call),
            aggregations: sumBy("600s", "ALIGN_RATE"),
            denominatorAggregations: sumBy("600s", "ALIGN_RATE"),
            comparison: "COMPARISON_GT",
            thresholdValue: TOOL_INTERNAL_ERROR_RATIO,
            duration: "0s",
          },
        },
      ],
    });
  }
}
