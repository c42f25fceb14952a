// Tool calls for the training tests: the structured result of a tools/call, or its error text.
import { expect } from "vitest";
import { postMcp, toolCall } from "../mcp/support.js";

export interface ToolResult<T = Record<string, unknown>> {
  structuredContent: T;
  isError?: boolean;
  content: { type: string; text: string }[];
}

export async function callTool<T = Record<string, unknown>>(baseUrl: string, apiKey: string, name: string, args: Record<string, unknown> = {}): Promise<ToolResult<T>> {
  const response = await postMcp(baseUrl, toolCall(name, args), { "x-api-key": apiKey });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result?: ToolResult<T>; error?: { code: number; message: string } };
  if (body.error) throw new Error(`JSON-RPC ${body.error.code}: ${body.error.message}`);
  return body.result!;
}

/** A successful call's structured result. */
export async function callOk<T = Record<string, unknown>>(baseUrl: string, apiKey: string, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = await callTool<T>(baseUrl, apiKey, name, args);
  expect(result.isError, result.content[0]?.text).toBeFalsy();
  return result.structuredContent;
}

/** A failed call's message (a tool error). */
export async function callError(baseUrl: string, apiKey: string, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await callTool(baseUrl, apiKey, name, args);
  expect(result.isError).toBe(true);
  return result.content[0].text;
}
