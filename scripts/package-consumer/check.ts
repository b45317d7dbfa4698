// Type-checked against the installed package's declarations (no source, no paths).
import { type CallToolResult, FastestMCP, type ProgressUpdate } from "fastestmcp";
import {
  Client,
  FileTokenStorage,
  MemoryTokenStorage,
  type OAuthClientProvider,
  type ProgressEvent,
} from "fastestmcp/client";
import type { HttpServerHandle } from "fastestmcp/node";
import { type RedisBackendOptions, redisBackend } from "fastestmcp/redis";
import { SqliteTaskStore, type SqliteTaskStoreOptions } from "fastestmcp/sqlite";
import { type StdioOptions, serveStdio } from "fastestmcp/stdio";
import { describeTaskStore, type TestFunctions } from "fastestmcp/testing";

const server = FastestMCP.server("typed").addTool("echo", (args: { text?: string }) => args.text ?? "");
const onProgress = (update: ProgressUpdate): number => update.current;
export async function run(url: string): Promise<CallToolResult> {
  await server.callTool("echo", { text: "hi" }, { onProgress });
  const client = await Client.connect(url);
  return client.callTool("echo", { text: "hi" }, { onProgress: (event: ProgressEvent) => event.progress });
}
// A host's OAuth provider: the user's browser, tokens kept in a file between runs.
const oauth: OAuthClientProvider = {
  redirectUrl: "http://127.0.0.1:8765/callback",
  authorize: async (authorizationUrl: URL) => authorizationUrl,
  storage: new MemoryTokenStorage(),
};
export const withAuth = (url: string) =>
  Client.connect(url, { auth: { ...oauth, storage: new FileTokenStorage("tokens.json") } });
export const listening: Promise<HttpServerHandle> = server.listen({ port: 0 });
export const stdio = (options: StdioOptions) => serveStdio(server, options);

// A durable store in the server options, and the behaviour suite for a store of one's own.
const sqliteOptions: SqliteTaskStoreOptions = { path: "tasks.db", progressFlushMs: 200 };
export const durable = () =>
  FastestMCP.server("durable", {
    tasks: { store: new SqliteTaskStore(sqliteOptions), progressFlushMs: 100 },
  });
export const suite = (test: TestFunctions) =>
  describeTaskStore("Sqlite", () => new SqliteTaskStore(sqliteOptions), test);

// State shared by several instances: the Redis backend in the server options.
const redisOptions: RedisBackendOptions = { url: "redis://127.0.0.1:6379", prefix: "jobs:" };
export const scaledOut = () => FastestMCP.server("scaled", { backend: redisBackend(redisOptions) });
