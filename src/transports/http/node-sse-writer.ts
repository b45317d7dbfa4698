import type { ServerResponse } from "node:http";
import type { SseWriter } from "./sse-writer.js";

/**
 * Characters of SSE text gathered before they are handed to the response: big enough that a burst
 * of small events costs a few writes, small enough to stay a regular (young-generation) string.
 */
const PENDING_LIMIT = 32 * 1024;

/**
 * Bytes the response may hold for its client (in node's buffers, past what the kernel took) before
 * the writer reports congestion. The kernel's socket buffers absorb a fast reader's bursts (after
 * each hand-over node holds nothing), so only a client that stops reading gets here; the mark
 * bounds what such a client costs, with the stream's backlog budget on top.
 */
export const NODE_HIGH_WATER_BYTES = 256 * 1024;

/**
 * The SSE writer of the node:http front. Text written in one tick (headers, priming event, a burst
 * of progress, the response) is joined into strings of up to PENDING_LIMIT characters and leaves
 * in one system call when the response is uncorked on the next tick. A res.write per event would
 * cost Writable bookkeeping each and a writev of thousands of buffers; one string for a whole burst
 * would be a large-object allocation that triggers old-generation GCs.
 *
 * Backpressure: after each hand-over, node's own buffer (`res.writableLength`) is what the kernel
 * did not take. Past NODE_HIGH_WATER_BYTES the writer is congested until the response's 'drain'.
 * (`res.write()`'s own answer cannot be used: while corked it is false for any chunk above the
 * socket's 16 KiB mark, even when the client keeps up.)
 */
export class NodeSseWriter implements SseWriter {
  congested = false;
  readonly #res: ServerResponse;
  #pending = "";
  #corked = false;
  #wrote = false;
  #onDrain: (() => void) | undefined;
  /** Listens to the response's 'drain' (made on first congestion). */
  #drained: (() => void) | undefined;

  constructor(res: ServerResponse, headers: Record<string, string>) {
    this.#res = res;
    res.writeHead(200, headers);
    // A stream with nothing to say yet (a GET) still sends its headers now.
    process.nextTick(NodeSseWriter.#flushHeaders, this);
  }

  write(chunk: string): boolean {
    const res = this.#res;
    if (res.destroyed || res.writableEnded) return false;
    this.#wrote = true;
    if (!this.#corked) {
      this.#corked = true;
      res.cork();
      process.nextTick(NodeSseWriter.#flush, this);
    }
    this.#pending += chunk;
    if (this.#pending.length >= PENDING_LIMIT) {
      // A long burst leaves every PENDING_LIMIT characters instead of at the end of the tick:
      // the client reads (and shows) the first events while the handler produces the rest.
      res.write(this.#pending);
      this.#pending = "";
      res.uncork();
      this.#checkCongestion();
      res.cork();
    }
    return true;
  }

  end(): void {
    const res = this.#res;
    if (res.writableEnded) return;
    // What this tick wrote goes first, in the same call that ends (and uncorks) the response.
    const chunk = this.#pending;
    this.#pending = "";
    if (chunk === "" || res.destroyed) res.end();
    else res.end(chunk);
  }

  abort(): void {
    this.#pending = "";
    this.#res.destroy();
  }

  onClose(callback: () => void): void {
    this.#res.once("close", callback);
  }

  onDrain(callback: () => void): void {
    this.#onDrain = callback;
  }

  /** On the tick after a write: hands the tick's text to the response and uncorks it. */
  static #flush(writer: NodeSseWriter): void {
    const res = writer.#res;
    writer.#corked = false;
    const chunk = writer.#pending;
    writer.#pending = "";
    if (chunk !== "" && !res.destroyed && !res.writableEnded) res.write(chunk);
    res.uncork();
    writer.#checkCongestion();
  }

  static #flushHeaders(writer: NodeSseWriter): void {
    if (!writer.#wrote && !writer.#res.writableEnded) writer.#res.flushHeaders();
  }

  #checkCongestion(): void {
    const res = this.#res;
    // Only when a 'drain' will come (writableNeedDrain): node promises one after a write it refused.
    if (this.congested || res.writableLength <= NODE_HIGH_WATER_BYTES || !res.writableNeedDrain) return;
    this.congested = true;
    this.#drained ??= () => this.#drain();
    res.once("drain", this.#drained);
  }

  #drain(): void {
    this.congested = false;
    const callback = this.#onDrain;
    this.#onDrain = undefined;
    callback?.();
  }
}
