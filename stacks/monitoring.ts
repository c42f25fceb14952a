import type { MonitoringAlertPolicyConditions } from "@cdktf/provider-google/lib/monitoring-alert-policy/index.js";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel/index.js";
import { MonitoringUptimeCheckConfig } from "@cdktf/provider-google/lib/monitoring-uptime-check-config/index.js";
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentDefinition } from "../environments/schema.js";
import type { EventName } from "../service/logging/events.js";
import { alertPolicy, type AlertSpec, type Severity } from "./alert-policy.js";
import type { ProjectApis } from "./apis.js";
import type { LogMetrics } from "./log-metrics.js";
import { cloudRunResource, cloudSqlResource } from "./metric-filters.js";

/** The structured log event the service writes when a call to Strava, Garmin, Fitbit, OpenWeather or USDA fails. */
const EXTERNAL_API_ERROR_EVENT: EventName = "external_api_error";

export interface MonitoringProps {
  env: string;
  projectId: string;
  serviceName: string;
  /** Host the uptime check probes: the load balancer's domain when there is one (run.app is then closed). */
  uptimeHost: string;
  /**
   * Whether the service-down alert notifies. Behind the load balancer it stays off until the managed
   * certificate is active (15-60 minutes after DNS points at the LB), or a fresh prod pages at once.
   */
  uptimeAlertEnabled: boolean;
  sqlInstanceName: string;
  sqlMaxConnections: number;
  alerting: EnvironmentDefinition["alerting"];
  apis: ProjectApis;
  logMetrics: LogMetrics;
}

/** Uptime check, notification channels, the external-API error metric and the alert policies. */
export class Monitoring extends Construct {
  readonly uptimeCheck: MonitoringUptimeCheckConfig;
  /** Notification channel ids per severity, for the other constructs that alert. */
  readonly channels: Record<Severity, string[]>;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { env, alerting } = props;
    const monitoringApi = props.apis.api("monitoring.googleapis.com");

    // Optional (dev has none): without it, alerts open incidents in the console and notify nobody.
    const slack = alerting.slackChannel
      ? new MonitoringNotificationChannel(this, "slack", {
          displayName: `Pierre ${env} Slack ${alerting.slackChannel}`,
          type: "slack",
          labels: { channel_name: alerting.slackChannel },
          sensitiveLabels: { authToken: sensitiveVariable(this, "slack_auth_token", "Slack app OAuth token for alerts") },
          dependsOn: [monitoringApi],
        })
      : undefined;
    const pagerDuty = alerting.pageOnCritical
      ? new MonitoringNotificationChannel(this, "pagerduty", {
          displayName: `Pierre ${env} PagerDuty`,
          type: "pagerduty",
          sensitiveLabels: {
            serviceKey: sensitiveVariable(this, "pagerduty_service_key", "PagerDuty Events API v1 integration key"),
          },
          dependsOn: [monitoringApi],
        })
      : undefined;
    const slackIds = slack ? [slack.id] : [];
    const channels: Record<Severity, string[]> = (this.channels = {
      CRITICAL: pagerDuty ? [pagerDuty.id, ...slackIds] : slackIds,
      WARNING: slackIds,
    });

    this.uptimeCheck = new MonitoringUptimeCheckConfig(this, "uptime", {
      displayName: `pierre-${env} /health`,
      period: "60s",
      timeout: "10s",
      checkerType: "STATIC_IP_CHECKERS",
      httpCheck: {
        path: "/health",
        port: 443,
        useSsl: true,
        validateSsl: true,
        requestMethod: "GET",
        acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }],
      },
      monitoredResource: { type: "uptime_url", labels: { project_id: props.projectId, host: props.uptimeHost } },
      dependsOn: [monitoringApi],
    });

    const externalApiErrors = props.logMetrics.counters[EXTERNAL_API_ERROR_EVENT];

    const cloudRun = cloudRunResource(props.serviceName);
    const cloudSql = cloudSqlResource(props.projectId, props.sqlInstanceName);
    const requestCount = `metric.type="run.googleapis.com/request_count" AND ${cloudRun}`;
    const sumPerService = (aligner: string, period: string) => [
      {
        alignmentPeriod: period,
        perSeriesAligner: aligner,
        crossSeriesReducer: "REDUCE_SUM",
        groupByFields: ["resource.label.service_name"],
      },
    ];
    const maxPerService = (percentileAligner: string) => [
      {
        alignmentPeriod: "60s",
        perSeriesAligner: percentileAligner,
        crossSeriesReducer: "REDUCE_MAX",
        groupByFields: ["resource.label.service_name"],
      },
    ];
    const promqlRequestRate = (offset = "") =>
      `sum(rate(run_googleapis_com:request_count{monitored_resource="cloud_run_revision",service_name="${props.serviceName}"}[10m]${offset}))`;

    const policies: Array<Omit<AlertSpec, "conditions"> & { condition: MonitoringAlertPolicyConditions }> = [
      {
        id: "service-down",
        enabled: props.uptimeAlertEnabled,
        name: "Service down (uptime check failing)",
        severity: "CRITICAL",
        runbook: `GET https://${props.uptimeHost}/health fails from several regions. Check the latest revision's logs and the load balancer.`,
        condition: {
          displayName: "Uptime check failing in more than one region",
          conditionThreshold: {
            filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.label.check_id="${this.uptimeCheck.uptimeCheckId}"`,
            aggregations: [
              {
                alignmentPeriod: "1200s",
                perSeriesAligner: "ALIGN_NEXT_OLDER",
                crossSeriesReducer: "REDUCE_COUNT_FALSE",
                groupByFields: ["resource.label.*"],
              },
            ],
            comparison: "COMPARISON_GT",
            thresholdValue: 1,
            duration: "60s",
            trigger: { count: 1 },
          },
        },
      },
      {
        id: "error-rate",
        name: "5xx responses above 5%",
        severity: "CRITICAL",
        runbook: "More than 5% of requests failed with 5xx over 5 minutes. Look for a bad revision (roll back) or a failing dependency.",
        condition: {
          displayName: "5xx / all requests > 5% over 5 min",
          conditionThreshold: {
            filter: `${requestCount} AND metric.label.response_code_class="5xx"`,
            denominatorFilter: requestCount,
            aggregations: sumPerService("ALIGN_RATE", "300s"),
            denominatorAggregations: sumPerService("ALIGN_RATE", "300s"),
            comparison: "COMPARISON_GT",
            thresholdValue: 0.05,
            duration: "0s",
          },
        },
      },
      {
        id: "db-connections",
        name: "Database connections near exhaustion",
        severity: "CRITICAL",
        runbook: `More than 80% of max_connections (${props.sqlMaxConnections}) in use. New requests will soon fail to get a connection.`,
        condition: {
          displayName: "PostgreSQL backends > 80% of max_connections",
          conditionThreshold: {
            filter: `metric.type="cloudsql.googleapis.com/database/postgresql/num_backends" AND ${cloudSql}`,
            aggregations: [
              {
                alignmentPeriod: "60s",
                perSeriesAligner: "ALIGN_MEAN",
                crossSeriesReducer: "REDUCE_SUM",
                groupByFields: ["resource.label.database_id"],
              },
            ],
            comparison: "COMPARISON_GT",
            thresholdValue: Math.floor(props.sqlMaxConnections * 0.8),
            duration: "300s",
          },
        },
      },
      {
        id: "external-api-errors",
        name: "External API failures",
        severity: "WARNING",
        runbook: `Pierre logged more than ${alerting.externalApiErrorsPer5Minutes} ${EXTERNAL_API_ERROR_EVENT} events in 5 minutes. Check the provider status pages and the NAT egress IP allow-lists.`,
        dependsOn: [externalApiErrors, props.logMetrics.propagated],
        condition: {
          displayName: `${EXTERNAL_API_ERROR_EVENT} events per 5 min`,
          conditionThreshold: {
            filter: `metric.type="logging.googleapis.com/user/${externalApiErrors.name}" AND resource.type="cloud_run_revision"`,
            aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" }],
            comparison: "COMPARISON_GT",
            thresholdValue: alerting.externalApiErrorsPer5Minutes,
            duration: "0s",
          },
        },
      },
      {
        id: "latency",
        name: "p95 latency above 1 s",
        severity: "WARNING",
        runbook: "The 95th percentile request latency exceeded 1 s for 5 minutes. Check database latency and slow-query logs.",
        condition: {
          displayName: "Request latency p95 > 1000 ms",
          conditionThreshold: {
            filter: `metric.type="run.googleapis.com/request_latencies" AND ${cloudRun}`,
            aggregations: maxPerService("ALIGN_PERCENTILE_95"),
            comparison: "COMPARISON_GT",
            thresholdValue: 1000,
            duration: "300s",
          },
        },
      },
      {
        id: "memory",
        name: "Container memory above 80%",
        severity: "WARNING",
        runbook: "Instances use more than 80% of their memory limit. Look for a leak or raise the limit.",
        condition: {
          displayName: "Memory utilization p99 > 80%",
          conditionThreshold: {
            filter: `metric.type="run.googleapis.com/container/memory/utilizations" AND ${cloudRun}`,
            aggregations: maxPerService("ALIGN_PERCENTILE_99"),
            comparison: "COMPARISON_GT",
            thresholdValue: 0.8,
            duration: "300s",
          },
        },
      },
      {
        id: "db-disk",
        name: "Database disk above 85%",
        severity: "WARNING",
        runbook: "Cloud SQL disk is over 85% full. Autoresize grows it up to its limit; check the limit and what is growing.",
        condition: {
          displayName: "Cloud SQL disk utilization > 85%",
          conditionThreshold: {
            filter: `metric.type="cloudsql.googleapis.com/database/disk/utilization" AND ${cloudSql}`,
            aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MEAN" }],
            comparison: "COMPARISON_GT",
            thresholdValue: 0.85,
            duration: "600s",
          },
        },
      },
      {
        id: "traffic-spike",
        name: "Traffic spike (+50% week over week)",
        severity: "WARNING",
        runbook: "Requests are 50% above the same window last week. Check for abuse (Cloud Armor logs) and scaling headroom.",
        condition: {
          displayName: "Request rate > 1.5x the same window a week earlier",
          conditionPrometheusQueryLanguage: {
            query: [
              `${promqlRequestRate()} > 1.5 * ${promqlRequestRate(" offset 1w")}`,
              `and ${promqlRequestRate()} > ${alerting.trafficSpikeMinRequestsPerSecond}`,
            ].join(" "),
            duration: "600s",
            evaluationInterval: "60s",
          },
        },
      },
    ];

    for (const { condition, ...policy } of policies) {
      alertPolicy(this, { env, channels, monitoringApi }, { ...policy, conditions: [condition] });
    }
  }
}

/** A sensitive Terraform input with a stable name (set it as TF_VAR_<name>); its value never enters the JSON. */
function sensitiveVariable(scope: Construct, name: string, description: string): string {
  const variable = new TerraformVariable(scope, name, { type: "string", sensitive: true, nullable: false, description });
  variable.overrideLogicalId(name);
  return variable.stringValue;
}
