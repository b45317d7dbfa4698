import { FastestMcpError } from "../errors.js";

/**
 * A clear {@link FastestMcpError} for a failed Redis command, `cause` keeping the original. A
 * reply error is Redis refusing the command (out of memory under `maxmemory`, a read-only
 * replica, a key of the prefix holding another type): `FMCP_ERR_STORE_WRITE_FAILED`. Anything
 * else means the command got no answer (refused or lost connection, retries used up):
 * `FMCP_ERR_STORE_UNREACHABLE`, naming the last connection error seen.
 */
export function redisError(
  error: unknown,
  where: string,
  lastConnectionError: Error | undefined,
): FastestMcpError {
  if (error instanceof FastestMcpError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if ((error as { name?: unknown } | null)?.name === "ReplyError") {
    return new FastestMcpError(
      "FMCP_ERR_STORE_WRITE_FAILED",
      `RedisTaskStore: Redis at ${where} refused a command: ${detail}; if it names the key type ` +
        "(WRONGTYPE), another app writes under the same prefix: give this store a prefix of its own.",
      { cause: error },
    );
  }
  const last =
    lastConnectionError === undefined ? "" : ` (last connection error: ${lastConnectionError.message})`;
  return new FastestMcpError(
    "FMCP_ERR_STORE_UNREACHABLE",
    `RedisTaskStore: Redis at ${where} did not answer: ${detail}${last}; check that it runs and that this ` +
      "process can reach it. The store reconnects by itself once it can.",
    { cause: error },
  );
}
