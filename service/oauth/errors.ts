// OAuth protocol errors (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2): a code from the registry and a
// description safe to show the client.
import { HttpError } from "../http/errors.js";

export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "invalid_client_metadata"
  | "invalid_redirect_uri";

export function oauthError(code: OAuthErrorCode, description: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(code === "invalid_client" ? 401 : 400, code, description, headers);
}
