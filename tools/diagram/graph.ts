// The architecture of one environment as a small graph, read from its synthesized Terraform JSON:
// only what the stack declares appears, labelled with what it declares (tiers, counts, switches).
import { resources, type TerraformJson } from "../synthesized.js";

export interface DiagramNode {
  id: string;
  /** Lines of the box's label. */
  label: string[];
  /** Drawn inside the VPC boundary. */
  inVpc?: boolean;
}

export interface DiagramEdge {
  from: string;
  to: string;
  label?: string;
}

export interface Diagram {
  title: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export function architecture(env: string, stack: TerraformJson): Diagram {
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const node = (id: string, label: string[], inVpc = false) => nodes.push({ id, label, inVpc });
  const edge = (from: string, to: string, label?: string) => edges.push({ from, to, label });
  const one = (type: string) => resources(stack, type)[0];

  const service = one("google_cloud_run_v2_service");
  const { cpu, memory } = service.template.containers[0].resources.limits;
  const scaling = service.template.scaling;
  node("clients", ["MCP clients"]);
  node("run", [`Cloud Run ${service.name}`, `${scaling.min_instance_count}-${scaling.max_instance_count} instances, ${cpu} vCPU / ${memory}`]);

  const policy = one("google_compute_security_policy");
  if (resources(stack, "google_compute_global_forwarding_rule").length > 0) {
    node("lb", ["HTTPS load balancer", "managed certificate, HTTP redirects"]);
    edge("clients", "lb", "HTTPS");
    if (policy) {
      node("armor", ["Cloud Armor", `${policy.rule.length} rules: OWASP CRS, rate-based ban`]);
      edge("lb", "armor");
      edge("armor", "run", "serverless NEG");
    } else edge("lb", "run", "serverless NEG");
  } else edge("clients", "run", "HTTPS (run.app)");

  const secrets = resources(stack, "google_secret_manager_secret").length;
  node("secrets", ["Secret Manager", `${secrets} secret(s)`]);
  edge("run", "secrets", "env at start");

  const connector = one("google_vpc_access_connector");
  node("connector", ["Serverless VPC connector", `${connector.min_instances}-${connector.max_instances}x ${connector.machine_type}`], true);
  edge("run", "connector", "all egress");

  const sql = one("google_sql_database_instance");
  const ha = sql.settings.availability_type === "REGIONAL" ? "regional HA" : "zonal";
  node("sql", ["Cloud SQL PostgreSQL 16", `${sql.settings.tier}, ${ha}`, "private IP, IAM login"], true);
  edge("connector", "sql", "TLS");

  if (resources(stack, "google_compute_router_nat").length > 0) {
    node("nat", ["Cloud NAT", "one static egress IP"], true);
    node("providers", ["Provider APIs", "Strava, Garmin, Fitbit, ..."]);
    edge("connector", "nat");
    edge("nat", "providers", "HTTPS");
  }

  const alerts = resources(stack, "google_monitoring_alert_policy").length;
  node("monitoring", ["Cloud Monitoring", `uptime check, ${alerts} alert policies`]);
  edge("monitoring", service.ingress === "INGRESS_TRAFFIC_ALL" ? "run" : "lb", "GET /health");

  const logBucket = one("google_logging_project_bucket_config");
  node("logging", ["Cloud Logging", `${logBucket.retention_days}-day retention`]);
  edge("run", "logging", "JSON logs");

  if (resources(stack, "google_cloud_scheduler_job").length > 0) {
    node("exports", ["Weekly SQL export", "Cloud Scheduler -> bucket"]);
    edge("exports", "sql", "export API");
  }
  node("registry", ["Artifact Registry", "service images"]);
  edge("registry", "run", "image");

  return { title: `Pierre ${env}`, nodes, edges };
}
