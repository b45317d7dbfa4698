import { afterTask } from "../../util/after-task.js";
import { WriteCoalescer } from "../../util/write-coalescer.js";
import type { SseWriter } from "./sse-writer.js";

const encoder = new TextEncoder();

/**
 * Bytes the body stream may queue for its reader before the writer reports congestion. Nothing
 * reads the body while a handler runs (the runtime reads it between tasks), so this is also the
 * largest burst a task can write before its progress starts coalescing; a 10,000-step burst of
 * short progress notifications is about 1.2 MB.
 */
export const FETCH_HIGH_WATER_BYTES = 1024 * 1024;

const byteLength = (chunk: Uint8Array): number => chunk.byteLength;

/**
 * The SSE writer of the fetch front: the body of a web `Response`. Text written in one task
 * (priming event, a burst of progress, the response) is joined by a {@link WriteCoalescer} and
 * leaves as one encoded chunk after the task (or every COALESCE_LIMIT characters), not one chunk
 * per event: a reader gets a few reads, not thousands.
 *
 * Backpressure: the body counts queued bytes against FETCH_HIGH_WATER_BYTES; when its desired size
 * drops to 0 the writer is congested until the reader pulls again.
 */
export class FetchSseWriter implements SseWriter {
  congested = false;
  /** The response body, to hand to `new Response`. */
  readonly body: ReadableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #open = true;
  readonly #coalescer = new WriteCoalescer((chunk) => this.#enqueue(chunk), afterTask);
  #closeCallbacks: Array<() => void> | undefined;
  #onDrain: (() => void) | undefined;

  constructor() {
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => {
          if (this.congested) this.#drain();
        },
        cancel: () => this.#closed(),
      },
      { highWaterMark: FETCH_HIGH_WATER_BYTES, size: byteLength },
    );
  }

  write(chunk: string): boolean {
    if (!this.#open) return false;
    this.#coalescer.write(chunk);
    return true;
  }

  end(): void {
    if (!this.#open) return;
    this.#coalescer.flush();
    this.#controller.close();
    this.#closed();
  }

  abort(): void {
    if (!this.#open) return;
    this.#coalescer.clear();
    // Errors the body: its queue is dropped and the runtime ends the response abruptly.
    this.#controller.error(new Error("SSE connection closed: the client fell too far behind."));
    this.#closed();
  }

  onClose(callback: () => void): void {
    if (!this.#open) callback();
    else if (this.#closeCallbacks === undefined) this.#closeCallbacks = [callback];
    else this.#closeCallbacks.push(callback);
  }

  onDrain(callback: () => void): void {
    this.#onDrain = callback;
  }

  /** The coalescer's sink: one joined chunk to the body, then a look at what it queues. */
  #enqueue(chunk: string): void {
    if (!this.#open) return;
    const controller = this.#controller;
    controller.enqueue(encoder.encode(chunk));
    if ((controller.desiredSize as number) <= 0) this.congested = true;
  }

  #drain(): void {
    this.congested = false;
    const callback = this.#onDrain;
    this.#onDrain = undefined;
    callback?.();
  }

  #closed(): void {
    if (!this.#open) return;
    this.#open = false;
    const callbacks = this.#closeCallbacks;
    this.#closeCallbacks = undefined;
    if (callbacks !== undefined) for (const callback of callbacks) callback();
  }
}
