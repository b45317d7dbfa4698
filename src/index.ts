/**
 * FastestMCP: Model Context Protocol servers where progress is runtime state.
 *
 * The root entry: the portable API of `fastestmcp/fetch`, with the `FastestMCP` that adds the
 * Node fronts (`listen()`, `nodeHandler()`, `stdio()`), the stdio transport and the client.
 * Nothing in it imports a Node built-in (the Node fronts look theirs up when called), so it loads
 * on any runtime; `fastestmcp/fetch` is the smaller entry for Workers and browsers.
 * @packageDocumentation
 */

export {
  type CallToolRequestOptions,
  Client,
  type ClientOptions,
  type ClientTarget,
  type ClientTransport,
  type ClientTransportEvents,
  type HttpClientTransportOptions,
  type LogMessage,
  type ProgressEvent,
  RemoteTask,
  type RemoteTaskState,
  type RequestOptions,
  type StdioServerParameters,
  StreamableHttpClientTransport,
} from "./client/index.js";
export type { DashboardOptions } from "./dashboard/dashboard-options.js";
// The Node-capable FastestMCP: this explicit export takes precedence over fetch.js's `FastestMCP`.
export { FastestMCP, type HttpServerHandle, type ListenOptions, type NodeHandler } from "./fastestmcp.js";
export * from "./fetch.js";
export * from "./stdio.js";
