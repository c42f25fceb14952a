// Google at the HTTP level: OAuth's {error} answers and the APIs' {error:{code,status}} answers.
import { BadResponseError, type ProviderError, ReauthorizationRequiredError } from "../errors.js";
import type { FailedResponse, ProviderHttpProfile } from "../outbound.js";
import { apiError, oauthError } from "./shapes.js";

function classify(response: FailedResponse): ProviderError | undefined {
  const { status, endpointKind } = response;
  if (endpointKind.startsWith("oauth.")) {
    const body = oauthError.safeParse(response.body);
    const error = body.success ? body.data.error : null;
    if (error === "invalid_grant") return new ReauthorizationRequiredError("fitbit", endpointKind, status);
    if (error === "invalid_client" || error === "unauthorized_client")
      return new BadResponseError("fitbit", endpointKind, status, "client credentials rejected");
    return undefined;
  }
  const body = apiError.safeParse(response.body);
  // A scope the user did not grant can only be fixed by consenting again.
  if (status === 403 && body.success && body.data.error.status === "PERMISSION_DENIED") {
    return new ReauthorizationRequiredError("fitbit", endpointKind, status);
  }
  return undefined;
}

export const googleHealthHttpProfile: ProviderHttpProfile = {
  provider: "fitbit",
  // Google asks clients to back off exponentially on 429 RESOURCE_EXHAUSTED; waits beyond the policy's
  // longest delay are surfaced instead.
  retryRateLimited: true,
  // Google publishes no quota headers; its limits show only as 429s.
  parseRateLimit: () => null,
  classify,
};
