// Who an A2A call is for: the principal of the client's access token (an A2A client acting for the user
// whose consent is live), carried through the SDK as its User. Every stored task is scoped by it.
import type { ServerCallContext, User } from "@a2a-js/sdk/server";
import type { OAuthPrincipal } from "../oauth/index.js";

export class A2aCaller implements User {
  constructor(readonly principal: OAuthPrincipal) {}
  get isAuthenticated(): boolean {
    return true;
  }
  /** The SDK keys its per-task locks by this: the client. */
  get userName(): string {
    return this.principal.clientId;
  }
}

/** The caller of a request the router authenticated; anything else reaching the SDK is a wiring bug. */
export function callerOf(context: ServerCallContext | undefined): OAuthPrincipal {
  const user = context?.user;
  if (!(user instanceof A2aCaller)) throw new Error("A2A call without an authenticated caller");
  return user.principal;
}
