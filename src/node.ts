/**
 * `fastestmcp/node`: FastestMCP for Node (and Bun and Deno, through their Node compatibility):
 * the same API as the root entry, under a name that says so. Its `FastestMCP` serves
 * `listen()`, `nodeHandler()`, `stdio()` and `fetch()`. Import it when a server is meant for
 * Node; code meant for Workers or browsers imports `fastestmcp/fetch`.
 * @packageDocumentation
 */
export * from "./index.js";
