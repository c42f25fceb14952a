// One way to declare an alert policy, shared by every construct that alerts: severity picks the
// notification channels, and the documentation always ends with a link to the alert's runbook section
// in the README (a heading named after the alert; tests/observability/runbooks.test.ts checks it exists).
import {
  MonitoringAlertPolicy,
  type MonitoringAlertPolicyConditions,
} from "@cdktf/provider-google/lib/monitoring-alert-policy/index.js";
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";

export type Severity = "CRITICAL" | "WARNING";

export interface AlertTarget {
  env: string;
  /** Notification channel ids per severity. */
  channels: Record<Severity, string[]>;
  /** The Monitoring API resource every policy waits for. */
  monitoringApi: ITerraformDependable;
}

export interface AlertSpec {
  id: string;
  /** Also the README heading of the runbook section. */
  name: string;
  severity: Severity;
  /** What happened and the first thing to check. */
  runbook: string;
  conditions: MonitoringAlertPolicyConditions[];
  /** Created disabled (it opens no incidents) when false, e.g. until a managed certificate is active. */
  enabled?: boolean;
  /** "AND" when every condition must hold (multi-window burn rates); default "OR". */
  combiner?: "AND" | "OR";
  /** What the conditions read besides the API, e.g. the log-based metrics they chart. */
  dependsOn?: ITerraformDependable[];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

export function alertDocumentation(spec: Pick<AlertSpec, "name" | "runbook">): string {
  return `${spec.runbook}\n\nRunbook: [README, "${spec.name}"](README.md#${headingAnchor(spec.name)})`;
}

export function alertPolicy(scope: Construct, target: AlertTarget, spec: AlertSpec): MonitoringAlertPolicy {
  return new MonitoringAlertPolicy(scope, `alert-${spec.id}`, {
    displayName: `pierre-${target.env}: ${spec.name}`,
    enabled: spec.enabled ?? true,
    combiner: spec.combiner ?? "OR",
    severity: spec.severity,
    conditions: spec.conditions,
    notificationChannels: target.channels[spec.severity],
    documentation: { content: alertDocumentation(spec), mimeType: "text/markdown" },
    alertStrategy: { autoClose: "1800s" },
    userLabels: { env: target.env, severity: spec.severity.toLowerCase() },
    dependsOn: [target.monitoringApi, ...(spec.dependsOn ?? [])],
  });
}
