import type { HttpServerHandle, ListenOptions } from "../index.js";
import { UsageError } from "./exit-codes.js";

/** What `run` needs from the exported server: the FastestMCP of `fastestmcp` or `fastestmcp/node`. */
export interface RunnableServer {
  listen(options?: ListenOptions): Promise<Pick<HttpServerHandle, "url" | "dashboardUrl" | "close">>;
  stdio(): Promise<unknown>;
  close(): Promise<void>;
  /** Absent on a server built with a fastestmcp older than the job queue. */
  runWorker?(options?: { concurrency?: number }): Promise<{ close(): Promise<void> }>;
}

const TYPESCRIPT = /\.(c|m)?tsx?$/i;

/**
 * Imports `file` and finds the server it exports: the default export or an export named
 * `server`. TypeScript files load through tsx's `tsImport` (scoped to this import, no global
 * hook) when tsx is installed next to the file or the CLI; Node 20 cannot strip types itself.
 * The server is recognised by shape, not `instanceof`: the module's `fastestmcp` may be another
 * copy of the package than the CLI's.
 * @throws {UsageError} when the file cannot be loaded or exports no server.
 */
export async function loadServer(file: string, cwd: string): Promise<RunnableServer> {
  const { pathToFileURL } = process.getBuiltinModule("node:url");
  const { resolve } = process.getBuiltinModule("node:path");
  const path = resolve(cwd, file);
  const url = pathToFileURL(path).href;
  let module: Record<string, unknown>;
  try {
    module = TYPESCRIPT.test(path) ? await importTypeScript(path, url) : await import(url);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" && (error as Error).message.includes(path)) {
      throw new UsageError(`No such file: ${path}`);
    }
    throw error;
  }
  const candidate = module.server ?? module.default;
  if (!isRunnable(candidate)) {
    throw new UsageError(
      `${file} exports no FastestMCP server: export it as default or as "server" ` +
        '(made with FastestMCP from "fastestmcp" or "fastestmcp/node").',
    );
  }
  return candidate;
}

function isRunnable(value: unknown): value is RunnableServer {
  const server = value as Partial<RunnableServer> | undefined;
  return (
    typeof server === "object" &&
    server !== null &&
    typeof server.listen === "function" &&
    typeof server.stdio === "function" &&
    typeof server.close === "function"
  );
}

async function importTypeScript(path: string, url: string): Promise<Record<string, unknown>> {
  const api = await tsxApi(path);
  if (api === undefined) {
    throw new UsageError(
      `${path} is TypeScript, which Node ${process.versions.node} cannot load by itself: ` +
        "install tsx (npm install -D tsx) or compile it to JavaScript first.",
    );
  }
  return (await api.tsImport(url, import.meta.url)) as Record<string, unknown>;
}

/**
 * tsx's ESM API (`tsx/esm/api`), found from the server file's folder first (the user's project),
 * then from the CLI's own. Found through tsx's package.json "exports" rather than `require.resolve`,
 * which picks the CommonJS build, whose `tsImport` cannot load its own loader.
 */
async function tsxApi(path: string): Promise<TsxApi | undefined> {
  const { createRequire } = process.getBuiltinModule("node:module");
  const { dirname, join } = process.getBuiltinModule("node:path");
  const { pathToFileURL } = process.getBuiltinModule("node:url");
  try {
    const manifest = createRequire(path).resolve("tsx/package.json");
    const { exports } = createRequire(path)(manifest) as { exports: Record<string, TsxExport> };
    const entry = exports["./esm/api"]?.import;
    const file = typeof entry === "string" ? entry : entry?.default;
    if (file !== undefined)
      return (await import(pathToFileURL(join(dirname(manifest), file)).href)) as TsxApi;
  } catch {
    // Not installed next to the file: try the CLI's own.
  }
  const specifier = "tsx/esm/api";
  return (await import(specifier).catch(() => undefined)) as TsxApi | undefined;
}

type TsxExport = { import?: string | { default?: string } } | undefined;

interface TsxApi {
  tsImport(url: string, parent: string): Promise<unknown>;
}
