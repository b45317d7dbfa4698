/**
 * Requests a handler can make of the connected client (sampling, elicitation). Declared here and
 * implemented above: by a wire session, or by in-process handlers given to `callTool`.
 */
export interface ClientRequests {
  /** What the client declared at `initialize` (`sampling`, `elicitation`, …). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  /**
   * The error a handler gets when the client did not declare `capability` (needed to `what`),
   * where the wire defines one (MCP 2026-07-28: `-32021`). Absent: a local `FastestMcpError`.
   */
  missingCapability?(capability: string, what: string): Error | undefined;
  /**
   * Sends a request to the client and resolves with its result. `inputKey` names the request
   * where the wire asks through an `input_required` result (MCP 2026-07-28) instead of sending
   * it; elsewhere it is not used.
   */
  request(
    method: string,
    params: Record<string, unknown>,
    signal: AbortSignal,
    inputKey?: string,
  ): Promise<Record<string, unknown>>;
}
