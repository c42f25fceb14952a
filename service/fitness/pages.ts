// The plain HTML page the provider callback ends on: the user reads it in the browser tab the provider
// redirected, then goes back to the agent. Every interpolated value is escaped.
import type { Response } from "express";
import { escapeHtml } from "../oauth/pages.js";
import type { ConnectOutcome } from "./connect.js";
import type { ProviderId } from "./model.js";

export const PROVIDER_NAMES: Record<ProviderId, string> = { strava: "Strava", fitbit: "Fitbit (Google Health)", garmin: "Garmin", synthetic: "Synthetic athlete" };

function describe(result: ConnectOutcome): { status: number; title: string; text: string } {
  const name = PROVIDER_NAMES[result.provider];
  switch (result.outcome) {
    case "connected":
      return { status: 200, title: `${name} connected`, text: "You can close this tab and return to your assistant." };
    case "denied":
      return { status: 400, title: `${name} was not connected`, text: "You declined access. Ask your assistant to connect again if you change your mind." };
    case "provider_error":
      return { status: 400, title: `${name} was not connected`, text: `${name} answered with an error: ${result.error}.` };
    case "invalid_state":
      return {
        status: 400,
        title: "This connection link has expired",
        text: "The link was already used or is older than 10 minutes. Ask your assistant for a new one.",
      };
    case "failed":
      return { status: 502, title: `${name} was not connected`, text: `Exchanging the authorization with ${name} failed. Try again in a few minutes.` };
  }
}

export function sendConnectResultPage(res: Response, result: ConnectOutcome): void {
  const { status, title, text } = describe(result);
  res
    .status(status)
    .type("html")
    .set("Cache-Control", "no-store")
    .send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></html>`);
}
