/**
 * One accepted progress state, as delivered to a {@link ProgressSink}. The same shape is stored on
 * a task record and handed to `onProgress`; the wire maps `current` to `progress`.
 */
export interface ProgressUpdate {
  /** How much work is done. Strictly increases across reports. */
  current: number;
  /** How much work there is in all, when known. */
  total?: number;
  /** What the work is doing now, for people. */
  message?: string;
  /** When this state was delivered (ISO 8601). */
  reportedAt: string;
}

/**
 * Where a request's progress goes. Implemented above this layer: the in-process `onProgress`
 * callback, the task record, and a session's outbound notifications.
 */
export interface ProgressSink {
  onProgress(update: ProgressUpdate): void;
  /**
   * @internal The same update as its members, for a sink that copies them (a task's progress
   * slot): no update object is built for it, at one per delivery per running task.
   */
  onProgressState?(
    current: number,
    total: number | undefined,
    message: string | undefined,
    reportedAt: string,
  ): void;
}

/** A sink that hands every update to each of `sinks`, in order. */
export function combineProgressSinks(
  ...sinks: ReadonlyArray<ProgressSink | undefined>
): ProgressSink | undefined {
  const present = sinks.filter((sink): sink is ProgressSink => sink !== undefined);
  if (present.length <= 1) return present[0];
  return {
    onProgress(update) {
      for (const sink of present) sink.onProgress(update);
    },
  };
}
