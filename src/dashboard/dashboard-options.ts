import { FastestMcpError } from "../errors.js";
import { quote } from "../protocol/quote.js";

/** The `dashboard` option of `server.listen()` (docs/dashboard.md). */
export interface DashboardOptions {
  /**
   * Where the page is served (default `/dashboard`); its event stream is `<path>/events` and its
   * cancel action `<path>/cancel`.
   */
  path?: string;
  /**
   * Serve the dashboard to other machines too (default false: only to loopback peers, under a
   * loopback `Host`). Then the endpoint's `allowedHosts` / `allowedOrigins` apply; set the
   * server's `auth` as well, or anyone who reaches the port sees and cancels every task.
   */
  allowRemote?: boolean;
}

/**
 * The dashboard's path, checked: absolute, without a trailing slash, query or fragment, and not
 * the MCP endpoint's (nor a parent of it).
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` otherwise.
 */
export function dashboardPath(path: unknown, mcpPath: string): string {
  if (path === undefined) path = "/dashboard";
  if (typeof path !== "string" || !/^\/[^?#\s]*[^/?#\s]$/.test(path)) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `dashboard.path must be an absolute path without a trailing slash (e.g. "/dashboard"), got ${quote(path)}.`,
    );
  }
  if (path === mcpPath || mcpPath.startsWith(`${path}/`)) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `dashboard.path ${quote(path)} would cover the MCP endpoint ${quote(mcpPath)}: choose another path.`,
    );
  }
  return path;
}

/** True for a peer address only this machine has (IPv4 loopback, also IPv4-mapped, and `::1`). */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}
