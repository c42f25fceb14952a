// Garmin at the HTTP level: standard OAuth error answers on the token endpoint; no quota headers known.
import { BadResponseError, type ProviderError, ReauthorizationRequiredError } from "../errors.js";
import type { FailedResponse, ProviderHttpProfile } from "../outbound.js";
import { oauthError } from "./shapes.js";

function classify(response: FailedResponse): ProviderError | undefined {
  const { status, endpointKind } = response;
  if (!endpointKind.startsWith("oauth.") || (status !== 400 && status !== 401)) return undefined;
  const body = oauthError.safeParse(response.body);
  if (body.success && (body.data.error === "invalid_client" || body.data.error === "unauthorized_client")) {
    return new BadResponseError("garmin", endpointKind, status, "client credentials rejected");
  }
  return new ReauthorizationRequiredError("garmin", endpointKind, status);
}

export const garminHttpProfile: ProviderHttpProfile = {
  provider: "garmin",
  retryRateLimited: true,
  parseRateLimit: () => null,
  classify,
};
