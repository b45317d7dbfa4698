/**
 * The FastestMCP client, on its own entry point (`fastestmcp/client`) so a client bundle never
 * pulls in server code.
 * @packageDocumentation
 */
export type { DiagnosticLogger, LogDetails } from "../util/diagnostics.js";
export {
  type CallToolRequestOptions,
  Client,
  type ClientOptions,
  type ClientTarget,
  type LogMessage,
  type RequestOptions,
} from "./client.js";
export type { ClientTransport, ClientTransportEvents } from "./client-transport.js";
export { type HttpClientTransportOptions, StreamableHttpClientTransport } from "./http-client-transport.js";
export type { ProgressEvent } from "./pending-requests.js";
export { RemoteTask, type RemoteTaskClient, type RemoteTaskState } from "./remote-task.js";
export type { StdioServerParameters } from "./stdio-client-transport.js";
