// Monthly cost of one environment, from its synthesized Terraform JSON and the price table
// (tools/prices.json). Pure: what the stack declares decides every fixed line; the usage assumptions
// of the price table decide the traffic-driven ones.
import prices from "../prices.json" with { type: "json" };
import { resources, type TerraformJson } from "../synthesized.js";

export type Prices = typeof prices;
export type Usage = Prices["usage"]["dev"];

export interface CostLine {
  service: string;
  item: string;
  monthly: number;
}

const gib = (memory: string): number => {
  const match = /^(\d+)(Mi|Gi)$/.exec(memory);
  if (!match) throw new Error(`unexpected memory limit ${memory}`);
  return Number(match[1]) / (match[2] === "Mi" ? 1024 : 1);
};

/** vCPUs and GB of memory of a Cloud SQL tier, or its flat hourly price for shared-core tiers. */
function sqlHourly(tier: string, p: Prices["cloudSql"]): number {
  const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (custom) return Number(custom[1]) * p.enterpriseVcpuHour + (Number(custom[2]) / 1024) * p.enterpriseMemoryGbHour;
  const shared = p.sharedCoreHour[tier as keyof typeof p.sharedCoreHour];
  if (shared === undefined) throw new Error(`no price for Cloud SQL tier ${tier}`);
  return shared;
}

export function estimateMonthlyCost(stack: TerraformJson, usage: Usage, p: Prices = prices): CostLine[] {
  const hours = p.hoursPerMonth;
  const seconds = hours * 3600;
  const lines: CostLine[] = [];
  const add = (service: string, item: string, monthly: number) => lines.push({ service, item, monthly });

  for (const sql of resources(stack, "google_sql_database_instance")) {
    const { tier, availability_type: availability, disk_size: diskGb } = sql.settings;
    const ha = availability === "REGIONAL" ? p.cloudSql.highAvailabilityMultiplier : 1;
    const haNote = ha > 1 ? ", regional HA (x2)" : "";
    add("Cloud SQL", `${tier}${haNote}`, sqlHourly(tier, p.cloudSql) * hours * ha);
    add("Cloud SQL", `${diskGb} GB SSD${haNote}`, diskGb * p.cloudSql.ssdGbMonth * ha);
    const retained = sql.settings.backup_configuration.backup_retention_settings.retained_backups;
    const backupGb = diskGb * (1 + retained * usage.backupDailyChangeRatio);
    add("Cloud SQL", `backups: ${retained} kept, ~${backupGb.toFixed(0)} GB`, backupGb * p.cloudSql.backupGbMonth);
  }

  for (const service of resources(stack, "google_cloud_run_v2_service")) {
    const { cpu, memory } = service.template.containers[0].resources.limits;
    const min = service.template.scaling.min_instance_count;
    const idle = Number(cpu) * p.cloudRun.idleMinInstanceVcpuSecond + gib(memory) * p.cloudRun.idleMinInstanceGibSecond;
    const active = Number(cpu) * p.cloudRun.activeVcpuSecond + gib(memory) * p.cloudRun.activeGibSecond;
    add("Cloud Run", `${min} warm instance(s) idle, ${cpu} vCPU / ${memory}`, min * seconds * idle);
    add("Cloud Run", `${usage.activeInstanceHours} instance-hours serving (assumed)`, usage.activeInstanceHours * 3600 * active);
    add("Cloud Run", `${usage.millionRequests} M requests (assumed)`, usage.millionRequests * p.cloudRun.perMillionRequests);
  }

  const connectors = resources(stack, "google_vpc_access_connector");
  for (const connector of connectors) {
    const hourly = p.compute.machineHour[connector.machine_type as keyof typeof p.compute.machineHour];
    add("VPC connector", `${connector.min_instances}x ${connector.machine_type} (minimum)`, connector.min_instances * hourly * hours);
  }
  if (resources(stack, "google_compute_router_nat").length > 0) {
    // NAT bills per VM behind it: here the connector's VMs.
    const vms = connectors.reduce((sum, connector) => sum + connector.min_instances, 0);
    add("Cloud NAT", `gateway for ${vms} VMs`, Math.min(vms * p.cloudNat.perVmHour, p.cloudNat.maxGatewayHour) * hours);
    add("Cloud NAT", `${usage.natGb} GB processed (assumed)`, usage.natGb * p.cloudNat.perGbProcessed);
  }
  const regionalIps = resources(stack, "google_compute_address").length;
  if (regionalIps > 0) add("Cloud NAT", `${regionalIps} static egress IP`, regionalIps * p.compute.staticIpHour * hours);

  const rules = resources(stack, "google_compute_global_forwarding_rule").length;
  if (rules > 0) {
    const extra = Math.max(0, rules - 5) * p.loadBalancing.extraForwardingRuleHour;
    add("Load balancer", `${rules} forwarding rules`, (p.loadBalancing.firstFiveForwardingRulesHour + extra) * hours);
    add("Load balancer", `${usage.lbGb} GB processed (assumed)`, usage.lbGb * p.loadBalancing.perGbProcessed);
  }
  for (const policy of resources(stack, "google_compute_security_policy")) {
    add("Cloud Armor", `policy with ${policy.rule.length} rules`, p.cloudArmor.policyMonth + policy.rule.length * p.cloudArmor.ruleMonth);
    add("Cloud Armor", `${usage.millionRequests} M requests (assumed)`, usage.millionRequests * p.cloudArmor.perMillionRequests);
  }

  for (const bucket of resources(stack, "google_logging_project_bucket_config")) {
    const billable = Math.max(0, usage.logGib - p.logging.freeIngestionGibPerProject);
    add("Logging", `${usage.logGib} GiB ingested (assumed; ${p.logging.freeIngestionGibPerProject} free)`, billable * p.logging.ingestionGib);
    const storedBeyond30 = usage.logGib * Math.max(0, bucket.retention_days - 30) / 30;
    add("Logging", `${bucket.retention_days}-day retention`, storedBeyond30 * p.logging.retentionGibMonthBeyond30Days);
  }

  for (const repository of resources(stack, "google_artifact_registry_repository")) {
    const kept = repository.cleanup_policies.find((policy: TerraformJson) => policy.most_recent_versions).most_recent_versions.keep_count;
    const gb = kept * usage.imageGb;
    add("Artifact Registry", `${kept} images kept, ~${gb.toFixed(1)} GB`, Math.max(0, gb - p.artifactRegistry.freeGb) * p.artifactRegistry.gbMonth);
  }

  const secrets = resources(stack, "google_secret_manager_secret").length;
  add("Secret Manager", `${secrets} secret(s), one active version each`, secrets * p.secretManager.activeVersionMonth);
  const jobs = resources(stack, "google_cloud_scheduler_job").length;
  add("Cloud Scheduler", `${jobs} job(s)`, jobs * p.cloudScheduler.jobMonth);
  add("Cloud Storage", `SQL exports, ~${usage.sqlExportGb} GB (assumed)`, usage.sqlExportGb * p.cloudStorage.standardUsMultiRegionGbMonth);

  return lines;
}

export const total = (lines: CostLine[]): number => lines.reduce((sum, line) => sum + line.monthly, 0);
