/** The live half of one SSE response: what a front (node:http, fetch) gives the transport. */
export interface SseWriter {
  /** Writes raw SSE text. Returns false once the connection is gone. */
  write(chunk: string): boolean;
  /** Ends the response. */
  end(): void;
  /** Registers a callback for when the client goes away (called at most once). */
  onClose(callback: () => void): void;
}

/** One SSE event carrying a JSON-RPC message, with the id `<streamId>.<seq>` (one template: no intermediate strings). */
export function formatSseEvent(streamId: string, seq: number, data: string): string {
  return `id: ${streamId}.${seq}\nevent: message\ndata: ${data}\n\n`;
}

/**
 * The priming event MCP 2025-11-25 recommends: an id and an empty data field, so the client has
 * an id to resume from, plus the reconnection delay it should use.
 */
export function formatPrimingEvent(id: string, retryMs: number): string {
  return `id: ${id}\nretry: ${retryMs}\ndata: \n\n`;
}

/** An SSE comment: keeps idle connections open through proxies; clients ignore it. */
export const SSE_KEEPALIVE = ": keepalive\n\n";
