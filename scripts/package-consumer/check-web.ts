// Type-checked without Node's types (lib DOM, no @types/node), as a Workers or browser project is:
// fastestmcp/fetch's declarations must not need Node.
import { type CompileJsonSchema, FastestMCP, type FetchHandler } from "fastestmcp/fetch";

const compileJsonSchema: CompileJsonSchema = () => (value) => ({ ok: true, value });
const server = FastestMCP.server("web", { compileJsonSchema }).addTool(
  "echo",
  (args) => JSON.stringify(args),
  { inputSchema: { type: "object", properties: { text: { type: "string" } } } },
);
const handler: FetchHandler = server.fetchHandler({ allowedHosts: ["mcp.example.com"] });
export default { fetch: (request: Request): Promise<Response> => handler(request) };
