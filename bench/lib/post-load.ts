import autocannon from "autocannon";
import type { TargetProcess } from "./child.js";

/** Connections autocannon keeps open for the echo scenarios. */
export const CONNECTIONS = 32;

/** What one autocannon run of POSTs measured, the server's CPU included. */
export type PostLoad = {
  serverCpuPercent: number;
  cpuUsPerRequest: number;
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  failed: number;
};

/**
 * POSTs to the target's endpoint from {@link CONNECTIONS} connections for `seconds`, every
 * request with `headers` and the body `bodyOf(id)` (ids unique per run: a session's in-flight ids
 * must differ), and reads the server's CPU time around it.
 */
export async function postLoad(
  target: TargetProcess,
  headers: Record<string, string>,
  bodyOf: (id: number) => string,
  seconds: number,
): Promise<PostLoad> {
  let id = 0;
  const cpuBefore = target.cpuMs();
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: new URL(target.url).pathname,
        headers,
        setupRequest: (request) => ({ ...request, body: bodyOf(++id) }),
      },
    ],
  });
  const cpuMs = (target.cpuMs() ?? Number.NaN) - (cpuBefore ?? Number.NaN);
  return {
    serverCpuPercent: (cpuMs / (result.duration * 1000)) * 100,
    cpuUsPerRequest: (cpuMs * 1000) / result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}
