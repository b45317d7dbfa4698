/** Origin and Host checks against DNS rebinding and cross-site requests. */
export interface RequestGuardOptions {
  /**
   * Origins allowed to call the endpoint (e.g. `"https://app.example.com"`). A request without an
   * `Origin` header (any non-browser client) is always allowed. Default: the server's own origins
   * when it listens on loopback, else only origins whose host equals the request's `Host`.
   */
  allowedOrigins?: string[];
  /**
   * `Host` header values allowed (e.g. `"127.0.0.1:4100"`). Default: the loopback names with the
   * port when the server listens on loopback; otherwise no Host check.
   */
  allowedHosts?: string[];
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
}

/** The guard defaults for a server listening on `host:port`. */
export function loopbackGuard(port: number): Required<RequestGuardOptions> {
  const hosts = LOOPBACK_NAMES.flatMap((name) => [`${name}:${port}`, name]);
  return {
    allowedHosts: hosts,
    allowedOrigins: LOOPBACK_NAMES.flatMap((name) => [`http://${name}:${port}`, `https://${name}:${port}`]),
  };
}

/**
 * Decides whether a request may proceed; returns the reason when it may not (answered 403).
 * MCP requires servers to validate `Origin`; the Host check stops DNS-rebinding attacks on
 * servers bound to loopback.
 */
export class RequestGuard {
  readonly #origins: Set<string> | undefined;
  readonly #hosts: Set<string> | undefined;

  constructor(options: RequestGuardOptions = {}) {
    this.#origins = options.allowedOrigins
      ? new Set(options.allowedOrigins.map((o) => o.toLowerCase()))
      : undefined;
    this.#hosts = options.allowedHosts
      ? new Set(options.allowedHosts.map((h) => h.toLowerCase()))
      : undefined;
  }

  check(origin: string | undefined, host: string | undefined): string | undefined {
    if (this.#hosts !== undefined && !this.#hosts.has((host ?? "").toLowerCase())) {
      return `Host "${host ?? ""}" is not allowed.`;
    }
    if (origin === undefined) return undefined;
    const normalized = origin.toLowerCase();
    if (this.#origins !== undefined) {
      return this.#origins.has(normalized) ? undefined : `Origin "${origin}" is not allowed.`;
    }
    try {
      return new URL(normalized).host === (host ?? "").toLowerCase()
        ? undefined
        : `Origin "${origin}" is not allowed.`;
    } catch {
      return `Origin "${origin}" is not a valid origin.`;
    }
  }
}
