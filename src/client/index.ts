/**
 * The FastestMCP client, on its own entry point (`fastestmcp/client`) so a client bundle never
 * pulls in server code.
 * @packageDocumentation
 */
// The errors a client call rejects with, so a client-only bundle can tell them apart.
export {
  CancelledError,
  FastestMcpError,
  isFastestMcpError,
  isToolError,
  ToolError,
} from "../errors.js";
export type { ErrorReason } from "../protocol/error-reasons.js";
export { isProtocolError, ProtocolError, RequestTimeoutError } from "../protocol/protocol-error.js";
export type { DiagnosticLogger, LogDetails } from "../util/diagnostics.js";
export type { BearerChallenge } from "./auth/bearer-challenge.js";
export { FileTokenStorage } from "./auth/file-token-storage.js";
export type { JwtBearerGrant, OAuthClientProvider, OAuthGrant } from "./auth/oauth-provider.js";
export type {
  AuthorizationServerMetadata,
  OAuthClientInformation,
  OAuthClientMetadata,
  OAuthTokens,
  ProtectedResourceMetadata,
  TokenEndpointAuthMethod,
} from "./auth/oauth-types.js";
export { MemoryTokenStorage, type StoredTokens, type TokenStorage } from "./auth/token-storage.js";
export {
  type CallToolRequestOptions,
  Client,
  type ClientOptions,
  type ClientTarget,
  type LogMessage,
  type RequestOptions,
} from "./client.js";
export type { ClientTransport, ClientTransportEvents, SendOptions } from "./client-transport.js";
export { type HttpClientTransportOptions, StreamableHttpClientTransport } from "./http-client-transport.js";
export type { ProgressEvent } from "./pending-requests.js";
export { RemoteTask, type RemoteTaskClient, type RemoteTaskState } from "./remote-task.js";
export type { StdioServerParameters } from "./stdio-client-transport.js";
export type { RemoteTaskProgress } from "./task-progress.js";
export type { TaskWaitOptions } from "./task-wait.js";
