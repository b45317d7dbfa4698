import { FastestMcpError, type FastestMcpErrorCodeName } from "../errors.js";

/** SQLite's result code of an error from better-sqlite3 (`SQLITE_BUSY`, `SQLITE_IOERR_WRITE`, …). */
function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

function classify(code: string, opening: boolean): FastestMcpErrorCodeName {
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "FMCP_ERR_STORE_LOCKED";
  if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) return "FMCP_ERR_STORE_CORRUPT";
  return opening ? "FMCP_ERR_STORE_OPEN_FAILED" : "FMCP_ERR_STORE_WRITE_FAILED";
}

const HINTS: Record<string, string> = {
  FMCP_ERR_STORE_LOCKED:
    "another connection holds it locked (raise busyTimeoutMs, or find the process that keeps a write transaction open)",
  FMCP_ERR_STORE_CORRUPT: "it is not a SQLite database, or it is damaged (restore a backup or move it away)",
  FMCP_ERR_STORE_OPEN_FAILED: "check that its directory exists and that this process may read and write it",
  FMCP_ERR_STORE_WRITE_FAILED: "the write was rolled back and nothing stored before was lost",
};

/**
 * A clear {@link FastestMcpError} for an error SQLite raised on `path`, `cause` keeping the
 * original. `opening`: while the store opens (then a failure that is neither a lock nor a damaged
 * file means the file cannot be used at all); otherwise while reading or writing.
 */
export function storeError(error: unknown, path: string, opening: boolean, doing: string): FastestMcpError {
  if (error instanceof FastestMcpError) return error;
  const code = sqliteCode(error);
  const name = classify(code, opening);
  const detail = error instanceof Error ? error.message : String(error);
  return new FastestMcpError(
    name,
    `SqliteTaskStore could not ${doing} ${JSON.stringify(path)}: ${detail}${code ? ` (${code})` : ""}; ${HINTS[name]}.`,
    { cause: error },
  );
}
