import { ProjectService } from "@cdktf/provider-google/lib/project-service/index.js";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { BootstrapConfig } from "../environments/schema.js";
import { placeholderGuard } from "./apis.js";

export const BOOTSTRAP_STACK = "bootstrap";

/**
 * What must exist before any environment stack: the versioned GCS bucket holding their Terraform state.
 * A stack cannot create the bucket its own backend lives in, so this one keeps a local state file
 * (terraform.bootstrap.tfstate); it holds one bucket and can be re-imported if lost.
 */
export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, config: BootstrapConfig) {
    super(scope, BOOTSTRAP_STACK);
    // Relative to where cdktf runs Terraform (cdktf.out/stacks/bootstrap): the file lands in the repository
    // root (git-ignored), out of cdktf.out, which routine cleans wipe.
    new LocalBackend(this, { path: "../../../terraform.bootstrap.tfstate" });
    new GoogleProvider(this, "google", {
      project: config.projectId,
      defaultLabels: { app: "pierre", managed_by: "cdktf" },
    });

    const guard = placeholderGuard(this, config.placeholders);
    const storageApi = new ProjectService(this, "storage-api", {
      service: "storage.googleapis.com",
      disableOnDestroy: false,
      lifecycle: guard ? { precondition: [guard] } : undefined,
    });

    const bucket = new StorageBucket(this, "state-bucket", {
      name: config.stateBucket,
      location: config.stateBucketLocation,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true }, // every state write is recoverable
      lifecycleRule: [
        // Keep the 20 most recent earlier versions of each state file, each for at least 30 days.
        { action: { type: "Delete" }, condition: { withState: "ARCHIVED", numNewerVersions: 20, daysSinceNoncurrentTime: 30 } },
      ],
      lifecycle: { preventDestroy: true },
      dependsOn: [storageApi],
    });

    new TerraformOutput(this, "state_bucket", { value: bucket.name, description: "Set PIERRE_STATE_BUCKET to this" });
  }
}
