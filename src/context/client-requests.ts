/**
 * Requests a handler can make of the connected client (sampling, elicitation). Declared here and
 * implemented above: by a wire session, or by in-process handlers given to `callTool`.
 */
export interface ClientRequests {
  /** What the client declared at `initialize` (`sampling`, `elicitation`, …). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  /** Sends a request to the client and resolves with its result. */
  request(
    method: string,
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
}
