import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import { Construct } from "constructs";
import type { ServiceVariable } from "../service/config.js";
import type { ProjectApis } from "./apis.js";

/**
 * Secrets whose values come from outside (a key generator, provider consoles): Terraform owns the secret
 * and who may read it; operators add versions with `gcloud secrets versions add` before the first deploy.
 * Keys are variables of the service's configuration schema (service/config.ts), checked by the compiler:
 * a provider credential gets a secret here once the service declares (reads) its variable.
 */
export const OPERATOR_SECRETS = {
  TOKEN_ENCRYPTION_KEY: "pierre-token-encryption-key",
} as const satisfies Partial<Record<ServiceVariable, string>>;

export type OperatorSecretVariable = keyof typeof OPERATOR_SECRETS;

export interface SecretsProps {
  runtimeServiceAccountMember: string;
  deletionProtection: boolean;
  apis: ProjectApis;
}

export class Secrets extends Construct {
  readonly operatorSecrets: Record<OperatorSecretVariable, SecretManagerSecret>;
  /** The runtime's accessor grants; the service must not start before they exist. */
  readonly accessGrants: SecretManagerSecretIamMember[] = [];

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const secret = (secretId: string) => {
      const created = new SecretManagerSecret(this, secretId, {
        secretId,
        replication: { auto: {} },
        deletionProtection: props.deletionProtection,
        dependsOn: [props.apis.api("secretmanager.googleapis.com")],
      });
      this.accessGrants.push(
        new SecretManagerSecretIamMember(this, `${secretId}-accessor`, {
          secretId: created.id,
          role: "roles/secretmanager.secretAccessor",
          member: props.runtimeServiceAccountMember,
        }),
      );
      return created;
    };

    this.operatorSecrets = Object.fromEntries(
      Object.entries(OPERATOR_SECRETS).map(([variable, secretId]) => [variable, secret(secretId)]),
    ) as Record<OperatorSecretVariable, SecretManagerSecret>;
  }
}
