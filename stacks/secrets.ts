import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import { Construct } from "constructs";
import type { ApiKeyService, EnvironmentConfig, ProviderName } from "../environments/schema.js";
import type { ServiceVariable } from "../service/config.js";
import type { ProjectApis } from "./apis.js";

/**
 * Secrets whose values come from outside (a key generator, provider consoles): Terraform owns the secret
 * and who may read it; operators add versions with `gcloud secrets versions add` before the first deploy.
 * Keys are variables of the service's configuration schema (service/config.ts), checked by the compiler.
 */
export const OPERATOR_SECRETS = {
  TOKEN_ENCRYPTION_KEY: "pierre-token-encryption-key",
} as const satisfies Partial<Record<ServiceVariable, string>>;

export type OperatorSecretVariable = keyof typeof OPERATOR_SECRETS;

export interface ProviderCredential {
  /** Plain variable set from PIERRE_<ENV>_<P>_CLIENT_ID; absent for a provider that only has a secret (an API key). */
  clientIdVariable?: ServiceVariable;
  secretVariable: ServiceVariable;
  secretId: string;
}

/** Each provider's credentials, as the service reads them (service/providers/settings.ts). */
export const PROVIDER_CREDENTIALS = {
  strava: { clientIdVariable: "STRAVA_CLIENT_ID", secretVariable: "STRAVA_CLIENT_SECRET", secretId: "pierre-strava-client-secret" },
  fitbit: { clientIdVariable: "FITBIT_CLIENT_ID", secretVariable: "FITBIT_CLIENT_SECRET", secretId: "pierre-fitbit-client-secret" },
  garmin: { clientIdVariable: "GARMIN_CLIENT_ID", secretVariable: "GARMIN_CLIENT_SECRET", secretId: "pierre-garmin-client-secret" },
} as const satisfies Record<ProviderName, ProviderCredential>;

/** Each API-key data service's key, as the service reads it (service/data-services/config.ts). */
export const API_KEY_SECRETS = {
  usda: { secretVariable: "USDA_API_KEY", secretId: "pierre-usda-api-key" },
  openweather: { secretVariable: "OPENWEATHER_API_KEY", secretId: "pierre-openweather-api-key" },
} as const satisfies Record<ApiKeyService, ProviderCredential>;

/** A container variable read from Secret Manager. */
export interface SecretVariable {
  variable: ServiceVariable;
  secret: SecretManagerSecret;
}

export interface SecretsProps {
  projectId: string;
  providerClientIds: EnvironmentConfig["providerClientIds"];
  apiKeyServices: EnvironmentConfig["apiKeyServices"];
  runtimeServiceAccountMember: string;
  deletionProtection: boolean;
  apis: ProjectApis;
}

export class Secrets extends Construct {
  /** Variables the container reads from Secret Manager: the operator secrets, then the enabled providers'. */
  readonly secretVariables: SecretVariable[];
  /** The enabled providers' client ids, as plain container variables. */
  readonly providerClientIdVariables: Partial<Record<ServiceVariable, string>> = {};
  /** The runtime's accessor grants; the service must not start before they exist. */
  readonly accessGrants: SecretManagerSecretIamMember[] = [];

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const secret = (secretId: string, deletionProtection: boolean) => {
      const created = new SecretManagerSecret(this, secretId, {
        secretId,
        replication: { auto: {} },
        deletionProtection,
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

    const operator = Object.entries(OPERATOR_SECRETS).map(([variable, secretId]) => ({
      variable: variable as OperatorSecretVariable,
      secret: secret(secretId, props.deletionProtection),
    }));
    // The operator creates the secret with its first version (README, Registering the provider apps) and
    // Terraform adopts it: a plan whose secret does not exist fails at the import, before Cloud Run is
    // pointed at it, and an adopted secret always has a version. Switching the service off deletes it (the
    // value can be re-issued in the provider's console), hence no deletion protection.
    const adopt = (credential: ProviderCredential): SecretVariable => {
      const adopted = secret(credential.secretId, false);
      adopted.importFrom(`projects/${props.projectId}/secrets/${credential.secretId}`);
      return { variable: credential.secretVariable, secret: adopted };
    };
    const providers = Object.entries(props.providerClientIds).map(([provider, clientId]) => {
      const credential: ProviderCredential = PROVIDER_CREDENTIALS[provider as ProviderName];
      if (credential.clientIdVariable) this.providerClientIdVariables[credential.clientIdVariable] = clientId;
      return adopt(credential);
    });
    const apiKeys = props.apiKeyServices.map((service) => adopt(API_KEY_SECRETS[service]));
    this.secretVariables = [...operator, ...providers, ...apiKeys];
  }
}
