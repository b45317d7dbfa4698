/**
 * A server with the default logger, for default-logger.test.ts: prints its port on stdout, serves
 * until stdin ends, then closes. What the test reads is this process's stderr.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { FastestMCP } from "../../src/fastestmcp.js";

const server = FastestMCP.server("default-logger").addResource("file:///boom", () => {
  throw new TypeError("boom\nnot a second log line");
});
const http = createServer(server.nodeHandler());
http.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(http.address() as AddressInfo).port}\n`);
});
process.stdin.on("end", () => {
  void server.close().then(() => http.close());
});
process.stdin.resume();
