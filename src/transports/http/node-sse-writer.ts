import type { ServerResponse } from "node:http";
import { type ScheduleFlush, WriteCoalescer } from "../../util/write-coalescer.js";
import type { SseWriter } from "./sse-writer.js";

const nextTick: ScheduleFlush = (callback) => process.nextTick(callback);

/**
 * Bytes the response may hold for its client (in node's buffers, past what the kernel took) before
 * the writer reports congestion. The kernel's socket buffers absorb a fast reader's bursts (after
 * each hand-over node holds nothing), so only a client that stops reading gets here; the mark
 * bounds what such a client costs, with the stream's backlog budget on top.
 */
export const NODE_HIGH_WATER_BYTES = 256 * 1024;

/**
 * The SSE writer of the node:http front. Text written in one tick (priming event, a burst of
 * progress, the response) is joined by a {@link WriteCoalescer} and handed to the response on the
 * next tick (or every COALESCE_LIMIT characters), corked around the `res.write` so that the chunk,
 * its chunked-encoding framing and (the first time) the headers leave in one system call at once
 * (uncorked, node itself would hold a chunked write until the next tick).
 *
 * Backpressure: after each hand-over, node's own buffer (`res.writableLength`) is what the kernel
 * did not take. Past NODE_HIGH_WATER_BYTES the writer is congested until the response's 'drain'.
 * (`res.write()`'s own answer cannot be used: while corked it is false for any chunk above the
 * socket's 16 KiB mark, even when the client keeps up.)
 */
export class NodeSseWriter implements SseWriter {
  congested = false;
  readonly #res: ServerResponse;
  readonly #coalescer = new WriteCoalescer((chunk) => this.#send(chunk), nextTick);
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
    this.#coalescer.write(chunk);
    return true;
  }

  end(): void {
    const res = this.#res;
    if (res.writableEnded) return;
    // What this tick wrote goes first, in the same call that ends (and uncorks) the response.
    const chunk = this.#coalescer.take();
    if (chunk === "" || res.destroyed) res.end();
    else res.end(chunk);
  }

  abort(): void {
    this.#coalescer.clear();
    this.#res.destroy();
  }

  onClose(callback: () => void): void {
    this.#res.once("close", callback);
  }

  onDrain(callback: () => void): void {
    this.#onDrain = callback;
  }

  /** The coalescer's sink: one joined chunk to the response, then a look at what it holds. */
  #send(chunk: string): void {
    const res = this.#res;
    if (res.destroyed || res.writableEnded) return;
    res.cork();
    res.write(chunk);
    res.uncork();
    this.#checkCongestion();
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
