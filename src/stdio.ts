/**
 * `fastestmcp/stdio`: the MCP stdio transport, server side (newline-delimited JSON-RPC on the
 * process's stdin and stdout, or on streams you pass). Serves any server: a `FastestMCP` from any
 * entry, or a `FastestMCPServer`. Needs `process.stdin` (Node, Bun, Deno) unless given streams.
 * @packageDocumentation
 */
export {
  DEFAULT_MAX_LINE_BYTES,
  type StdioOptions,
  StdioServerTransport,
  type StdioServerTransportOptions,
  serveStdio,
} from "./transports/stdio.js";
