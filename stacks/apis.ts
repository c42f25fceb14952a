import { ProjectService } from "@cdktf/provider-google/lib/project-service/index.js";
import { Fn, Op, TerraformLocal } from "cdktf";
import { Construct } from "constructs";

/** Every Google API a Pierre environment uses. serviceusage itself must already be on (it is in new projects). */
export const GOOGLE_APIS = [
  "artifactregistry.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "cloudscheduler.googleapis.com",
  "cloudtrace.googleapis.com",
  "compute.googleapis.com",
  "iam.googleapis.com",
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "run.googleapis.com",
  "secretmanager.googleapis.com",
  "servicenetworking.googleapis.com",
  "sqladmin.googleapis.com",
  "storage.googleapis.com",
  "vpcaccess.googleapis.com",
] as const;

/** What the bootstrap needs in each project it touches: state buckets, service accounts, federation. */
export const BOOTSTRAP_APIS = [
  "cloudresourcemanager.googleapis.com",
  "iam.googleapis.com",
  "iamcredentials.googleapis.com", // CI impersonates the planner and deployer accounts
  "storage.googleapis.com",
  "sts.googleapis.com", // Workload Identity Federation token exchange
] as const;

export type GoogleApi = (typeof GOOGLE_APIS)[number] | (typeof BOOTSTRAP_APIS)[number];

export interface ProjectApisProps {
  projectId: string;
  apis: readonly GoogleApi[];
  /**
   * Environment variables that fell back to placeholders during synthesis. When non-empty, every API
   * enablement carries a precondition that fails the plan, so a placeholder stack can be synthesized
   * (and reviewed) in CI but never applied.
   */
  placeholders: string[];
}

/** Enables the project's APIs; other constructs depend on `api(...)` so nothing is created before its API. */
export class ProjectApis extends Construct {
  private readonly services = new Map<GoogleApi, ProjectService>();

  constructor(scope: Construct, id: string, props: ProjectApisProps) {
    super(scope, id);
    const guard = placeholderGuard(this, props.placeholders);
    for (const api of props.apis) {
      this.services.set(
        api,
        new ProjectService(this, api.split(".")[0], {
          project: props.projectId,
          service: api,
          // Turning an API off on destroy would break anything else in the project that uses it.
          disableOnDestroy: false,
          disableDependentServices: false,
          lifecycle: guard ? { precondition: [guard] } : undefined,
        }),
      );
    }
  }

  api(name: GoogleApi): ProjectService {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not enabled in this stack; add it to the ProjectApis list`);
    return service;
  }
}

/** A lifecycle precondition that fails any plan while placeholders remain; undefined when there are none. */
export function placeholderGuard(scope: Construct, placeholders: string[]) {
  if (placeholders.length === 0) return undefined;
  const unset = new TerraformLocal(scope, "unset_settings", placeholders);
  return {
    // `< 1`, not `== 0`: cdktf's operator helpers drop a falsy operand and would synthesize `== undefined`,
    // which Terraform rejects ("Invalid reference") before it can show the message below.
    condition: Op.lt(Fn.lengthOf(unset.asList), 1),
    errorMessage: `This stack was synthesized with placeholders for ${placeholders.join(", ")}. Set them and run cdktf synth/deploy again.`,
  };
}
