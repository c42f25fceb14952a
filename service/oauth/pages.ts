// The HTML the authorization endpoint shows: sign-in + consent, tenant choice, and errors that must not
// redirect. Every interpolated value is escaped. The pages carry their own Content-Security-Policy:
// helmet's default `form-action 'self'` would also block the redirect to the client after the post.
import { createHash } from "node:crypto";
import type { Response } from "express";
import type { Membership } from "../identity/users.js";
import { formActionSource } from "./redirect-uris.js";
import { isKnownScope, SCOPE_DESCRIPTIONS } from "./scopes.js";
import { PATHS } from "./metadata.js";

const STYLE = [
  "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1f2933;line-height:1.45}",
  "h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}",
  "input[type=email],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}",
  ".error{color:#b42318;font-weight:600}.note{color:#52606d;font-size:.9rem}",
  "button{margin:1rem .5rem 0 0;padding:.55rem 1.1rem}fieldset{border:1px solid #cbd2d9;margin-top:1rem}",
].join("");
const STYLE_SOURCE = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** What the user consents to: who asks, where the answer goes, and for which scopes. */
export interface ConsentContext {
  formToken: string;
  clientName: string | null;
  redirectUri: string;
  scopes: string[];
}

export function sendSignInPage(res: Response, status: number, context: ConsentContext, form: { email?: string; error?: string } = {}): void {
  const body = `
    <h1>Sign in to Pierre</h1>
    ${consentSummary(context)}
    ${form.error ? `<p class="error" role="alert">${escapeHtml(form.error)}</p>` : ""}
    <form method="post" action="${PATHS.authorize}">
      <input type="hidden" name="form_token" value="${escapeHtml(context.formToken)}">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(form.email ?? "")}">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit" name="action" value="allow">Sign in and allow</button>
      <button type="submit" name="action" value="deny" formnovalidate>Deny</button>
    </form>`;
  send(res, status, "Sign in to Pierre", body, context.redirectUri);
}

export function sendTenantChoicePage(res: Response, context: ConsentContext, memberships: Membership[]): void {
  const options = memberships
    .map((membership, index) => `
      <label><input type="radio" name="tenant_id" value="${escapeHtml(membership.tenantId)}"${index === 0 ? " checked" : ""}>
        ${escapeHtml(membership.tenantName)} <span class="note">(${escapeHtml(membership.tenantSlug)})</span></label>`)
    .join("");
  const body = `
    <h1>Choose an organization</h1>
    ${consentSummary(context)}
    <form method="post" action="${PATHS.authorize}">
      <input type="hidden" name="form_token" value="${escapeHtml(context.formToken)}">
      <fieldset><legend>Give access to your data in</legend>${options}</fieldset>
      <button type="submit" name="action" value="allow">Allow</button>
      <button type="submit" name="action" value="deny">Deny</button>
    </form>`;
  send(res, 200, "Choose an organization", body, context.redirectUri);
}

/** For problems that must not redirect (unknown client, unregistered redirect URI, expired form). */
export function sendErrorPage(res: Response, status: number, title: string, message: string): void {
  send(res, status, title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

function consentSummary(context: ConsentContext): string {
  const name = context.clientName ? escapeHtml(context.clientName) : "An unnamed application";
  const scopes = context.scopes
    .map((scope) => `<li>${escapeHtml(isKnownScope(scope) ? SCOPE_DESCRIPTIONS[scope] : scope)} <span class="note">(${escapeHtml(scope)})</span></li>`)
    .join("");
  return `
    <p><strong>${name}</strong> wants to access your Pierre account.
      <span class="note">The application chose this name itself.</span></p>
    <p>It will be able to:</p><ul>${scopes}</ul>
    <p class="note">After you decide you will be sent to ${escapeHtml(returnTarget(context.redirectUri))}.</p>`;
}

/** Where the browser goes next, as a user can judge it: the origin, or the app scheme. */
function returnTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : `${url.protocol} (an application on this device)`;
}

function send(res: Response, status: number, title: string, body: string, redirectUri?: string): void {
  const formAction = ["'self'", ...(redirectUri ? [formActionSource(redirectUri)] : [])].join(" ");
  res
    .status(status)
    .set({
      "Content-Security-Policy": `default-src 'none'; style-src ${STYLE_SOURCE}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      "Cache-Control": "no-store",
      // helmet's no-referrer would make browsers send `Origin: null` with the form post (Fetch spec),
      // and the post handler checks Origin; same-origin still sends nothing to the client's site.
      "Referrer-Policy": "same-origin",
    })
    .type("html")
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}
</body></html>`);
}
