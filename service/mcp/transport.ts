// A one-shot server transport for stateless Streamable HTTP with JSON responses: the messages of one POST
// go to the request's Server, and the Server's answers to its requests come back as one JSON body.
//
// Why not the SDK's StreamableHTTPServerTransport: it serves a Node request by converting it to a
// Web-standard Request and the answer back from a Response (@hono/node-server), around machinery for SSE
// streams, sessions and resumption. In stateless JSON mode none of that is used, yet the conversions
// cost more CPU per call than the rest of the request. router.ts applies the same HTTP rules itself
// (Accept, Content-Type, JSON-RPC shape, batch size, protocol version).
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, JSONRPCResponse, RequestId } from "@modelcontextprotocol/sdk/types.js";

export class ExchangeTransport implements Transport {
  onmessage?: Transport["onmessage"];
  onclose?: () => void;
  onerror?: (error: Error) => void;

  private readonly answers = new Map<RequestId, JSONRPCResponse>();
  private pending?: { requestIds: RequestId[]; settle: (answers: JSONRPCResponse[] | undefined) => void };

  async start(): Promise<void> {}

  /**
   * Delivers `messages` to the connected server and resolves with the answers to `requestIds`, in that
   * order: `answered` (requests the router answered itself, which are not delivered) and the server's.
   * Undefined when the transport closed first (the client went away).
   */
  exchange(messages: JSONRPCMessage[], requestIds: RequestId[], answered: JSONRPCResponse[] = []): Promise<JSONRPCResponse[] | undefined> {
    const complete = new Promise<JSONRPCResponse[] | undefined>((settle) => (this.pending = { requestIds, settle }));
    for (const answer of answered) this.answers.set(answer.id!, answer);
    for (const message of messages) this.onmessage?.(message);
    this.settleIfComplete();
    return complete;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    // Only answers have somewhere to go: without a stream, server notifications and requests are
    // dropped, as the SDK transport does in JSON-response mode.
    if ("method" in message || message.id === undefined) return;
    this.answers.set(message.id, message);
    this.settleIfComplete();
  }

  private settleIfComplete(): void {
    const pending = this.pending;
    if (pending && pending.requestIds.every((id) => this.answers.has(id))) {
      this.pending = undefined;
      pending.settle(pending.requestIds.map((id) => this.answers.get(id)!));
    }
  }

  async close(): Promise<void> {
    this.pending?.settle(undefined);
    this.pending = undefined;
    this.onclose?.();
  }
}
