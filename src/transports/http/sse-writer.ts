/**
 * The live half of one SSE response: what a front (node:http, fetch) gives the transport.
 *
 * Backpressure is optional (a writer without it is treated as always keeping up): a writer that
 * can fall behind sets `congested` once it holds more than its high-water mark for the client, and
 * then calls the `onDrain` callback when it can take more. It still takes every write meanwhile;
 * `SseStream` stops writing until the callback.
 */
export interface SseWriter {
  /** Writes raw SSE text. Returns false once the connection is gone (the text was not taken). */
  write(chunk: string): boolean;
  /** Ends the response after what was written. */
  end(): void;
  /** Registers a callback for when the client goes away (called at most once). */
  onClose(callback: () => void): void;
  /** True while more than the writer's high-water mark waits for the client (read after each write). */
  readonly congested?: boolean;
  /** Sets the callback run once when a congested writer can take more (replaces the previous one). */
  onDrain?(callback: () => void): void;
  /** Drops the connection now, freeing what the writer still holds for it (the client resumes). */
  abort?(): void;
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
