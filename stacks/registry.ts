import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository/index.js";
import { Construct } from "constructs";
import type { EnvironmentDefinition } from "../environments/schema.js";
import type { ProjectApis } from "./apis.js";

/** Repository id the deploy workflow pushes to: <region>-docker.pkg.dev/<project>/pierre/... */
export const REPOSITORY_ID = "pierre";
/** The tag the deploy workflow moves to the release a promotion replaces (scripts/release.ts). */
export const ROLLBACK_TAG = "previous-stable";

export interface RegistryProps {
  projectId: string;
  region: string;
  registry: EnvironmentDefinition["registry"];
  apis: ProjectApis;
}

/** Docker repository for the service image, pruned automatically so storage does not grow forever. */
export class Registry extends Construct {
  readonly repository: ArtifactRegistryRepository;
  readonly imagePrefix: string;

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    this.repository = new ArtifactRegistryRepository(this, "repository", {
      repositoryId: REPOSITORY_ID,
      location: props.region,
      format: "DOCKER",
      description: "Pierre service images",
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        {
          // KEEP wins over DELETE: recent images (what is running, what a rollback needs) always survive.
          id: "keep-recent",
          action: "KEEP",
          mostRecentVersions: { keepCount: props.registry.keepRecentVersions },
        },
        {
          // Each promotion tags the release it replaces; a rollback goes back to it, whatever its age.
          id: "keep-rollback-target",
          action: "KEEP",
          condition: { tagState: "TAGGED", tagPrefixes: [ROLLBACK_TAG] },
        },
        {
          // Tagged too: the pipeline tags every image with its commit, so an untagged-only rule frees nothing.
          id: "delete-old",
          action: "DELETE",
          condition: { tagState: "ANY", olderThan: `${props.registry.deleteAfterDays * 86_400}s` },
        },
      ],
      dependsOn: [props.apis.api("artifactregistry.googleapis.com")],
    });
    this.imagePrefix = `${props.region}-docker.pkg.dev/${props.projectId}/${REPOSITORY_ID}`;
  }
}
