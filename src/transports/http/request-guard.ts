import { FastestMcpError } from "../../errors.js";
import { InvalidRequestError } from "../../protocol/protocol-error.js";
import { quote } from "../../protocol/quote.js";

/** Origin and Host checks against DNS rebinding and cross-site requests. */
export interface RequestGuardOptions {
  /**
   * Origins allowed to call the endpoint (e.g. `"https://app.example.com"`). A request without an
   * `Origin` header (any non-browser client) is always allowed. Default: same-origin only (the
   * Origin's host and port equal the request's `Host`), plus the loopback origins on the bound
   * port for `listen()` on loopback. `"null"` (sandboxed frames, `file:`) is allowed only when listed.
   */
  allowedOrigins?: string[];
  /**
   * `Host` names the endpoint answers to (e.g. `"mcp.example.com"`, or `"mcp.example.com:8443"`
   * for one port only; `"*"` switches the check off). Default: the loopback names `localhost`,
   * `127.0.0.1` and `[::1]` on any port (on the bound port for `listen()`), so a DNS-rebinding page
   * (whose `Host` is its own name) is refused. List the names your server is reached by.
   */
  allowedHosts?: string[];
}

/** The names only this machine can reach. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"] as const;
/** Distinct `Host` values whose verdict is remembered (a flood of others is checked each time). */
const HOST_CACHE_LIMIT = 64;
/** Allow-list entries quoted in an error message, at most. */
const LISTED_LIMIT = 6;

/** A `Host` (or Origin authority) split into its lower-cased name and port (`""` when absent). */
interface HostPort {
  readonly name: string;
  readonly port: string;
}

/**
 * Parses `host[:port]` as RFC 9110 §7.2 writes it: a reg-name or IPv4 address, or an IPv6
 * address in brackets. The name is lower-cased and loses one trailing dot (`localhost.` is
 * `localhost`); the port loses leading zeros. Undefined when it is not well formed.
 */
export function parseHostPort(value: string): HostPort | undefined {
  let name: string;
  let port: string;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    if (end === -1) return undefined;
    name = value.slice(0, end + 1);
    const rest = value.slice(end + 1);
    if (rest !== "" && !rest.startsWith(":")) return undefined;
    port = rest.slice(1);
  } else {
    const colon = value.indexOf(":");
    if (colon !== -1 && value.indexOf(":", colon + 1) !== -1) return undefined; // IPv6 needs brackets
    name = colon === -1 ? value : value.slice(0, colon);
    port = colon === -1 ? "" : value.slice(colon + 1);
    if (name.endsWith(".")) name = name.slice(0, -1);
  }
  if (!/^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+,;=%]+)$/i.test(name)) return undefined;
  if (port !== "") {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) return undefined;
    port = String(Number(port));
  }
  return { name: name.toLowerCase(), port };
}

/** The port a scheme implies when the authority names none. */
function defaultPort(scheme: string): string {
  return scheme === "https" ? "443" : scheme === "http" ? "80" : "";
}

/** An origin (`scheme://host[:port]`) with its parts normalised, or undefined when malformed. */
function parseOrigin(value: string): { scheme: string; host: HostPort; key: string } | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#@\s]+)$/i.exec(value);
  if (match === null) return undefined;
  const scheme = (match[1] as string).toLowerCase();
  const host = parseHostPort(match[2] as string);
  if (host === undefined) return undefined;
  const port = host.port === defaultPort(scheme) ? "" : host.port;
  return { scheme, host, key: `${scheme}://${host.name}${port === "" ? "" : `:${port}`}` };
}

function invalidOption(option: string, entry: unknown, expected: string): FastestMcpError {
  return new FastestMcpError(
    "FMCP_ERR_OPTION_INVALID",
    `${option} entry ${quote(entry)} is not ${expected}.`,
  );
}

/** A list for an error message: the first few entries, then how many more. */
function listed(entries: readonly string[]): string {
  const shown = entries.slice(0, LISTED_LIMIT).join(", ");
  return entries.length > LISTED_LIMIT ? `${shown} and ${entries.length - LISTED_LIMIT} more` : shown;
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
}

/**
 * The guard `listen()` applies by default: the loopback names on the bound port, plus the bound
 * address itself when it is a specific one (not `0.0.0.0` or `::`); on loopback, the loopback
 * origins on that port too (a page on `http://localhost:PORT` may call `127.0.0.1:PORT`).
 */
export function listenGuard(host: string, port: number): RequestGuardOptions {
  const allowedHosts: string[] = LOOPBACK_NAMES.map((name) => `${name}:${port}`);
  if (isLoopbackHost(host)) {
    return {
      allowedHosts,
      allowedOrigins: LOOPBACK_NAMES.flatMap((name) => [`http://${name}:${port}`, `https://${name}:${port}`]),
    };
  }
  if (host !== "0.0.0.0" && host !== "::" && host !== "") {
    allowedHosts.push(`${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`);
  }
  return { allowedHosts };
}

/**
 * Decides whether a request may proceed: MCP requires servers to validate `Origin`, and the
 * `Host` check stops DNS rebinding (a page on `evil.example` whose name now resolves to
 * 127.0.0.1 sends `Host: evil.example`). Refusals are `forbidden` errors (HTTP 403) that tell
 * the operator which option to set.
 */
export class RequestGuard {
  /** Allowed names: `true` for any port, else the allowed ports. Undefined: any Host. */
  readonly #hosts: Map<string, true | Set<string>> | undefined;
  /** The allowedHosts option as given, for error messages; undefined for the loopback default. */
  readonly #hostList: readonly string[] | undefined;
  readonly #origins: Set<string> | undefined;
  readonly #originList: readonly string[];
  readonly #hostVerdicts = new Map<string, boolean>();

  /** @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for an entry that is not a host or origin. */
  constructor(options: RequestGuardOptions = {}) {
    const hosts = options.allowedHosts;
    if (hosts?.includes("*")) this.#hosts = undefined;
    else {
      this.#hosts = new Map();
      for (const entry of hosts ?? LOOPBACK_NAMES) {
        const parsed = typeof entry === "string" ? parseHostPort(entry) : undefined;
        if (parsed === undefined) {
          throw invalidOption(
            "allowedHosts",
            entry,
            'a host name with an optional port (e.g. "mcp.example.com")',
          );
        }
        const rule = this.#hosts.get(parsed.name);
        if (parsed.port === "") this.#hosts.set(parsed.name, true);
        else if (rule === undefined) this.#hosts.set(parsed.name, new Set([parsed.port]));
        else if (rule !== true) rule.add(parsed.port);
      }
    }
    this.#hostList = hosts;
    const origins = options.allowedOrigins;
    this.#originList = origins ?? [];
    this.#origins = origins?.reduce((set, entry) => {
      const key =
        entry === "null"
          ? "null"
          : typeof entry === "string"
            ? parseOrigin(entry.endsWith("/") ? entry.slice(0, -1) : entry)?.key
            : undefined;
      if (key === undefined) {
        throw invalidOption("allowedOrigins", entry, 'an origin (e.g. "https://app.example.com")');
      }
      return set.add(key);
    }, new Set<string>());
  }

  /** Undefined when the request may proceed; else the `forbidden` error to answer with 403. */
  check(origin: string | undefined, host: string | undefined): InvalidRequestError | undefined {
    if (this.#hosts !== undefined && !this.#hostAllowed(host)) return this.#hostRefused(host);
    if (origin === undefined) return undefined;
    const parsed = origin === "null" ? undefined : parseOrigin(origin);
    if (this.#origins !== undefined) {
      return this.#origins.has(parsed?.key ?? origin) ? undefined : this.#originRefused(origin);
    }
    const request = host === undefined ? undefined : parseHostPort(host);
    if (parsed !== undefined && request !== undefined && parsed.host.name === request.name) {
      const implied = defaultPort(parsed.scheme);
      if ((parsed.host.port || implied) === (request.port || implied)) return undefined;
    }
    return this.#originRefused(origin, host);
  }

  #hostAllowed(host: string | undefined): boolean {
    if (host === undefined) return false;
    const known = this.#hostVerdicts.get(host);
    if (known !== undefined) return known;
    const parsed = parseHostPort(host);
    const rule = parsed === undefined ? undefined : this.#hosts?.get(parsed.name);
    // A Host without a port addresses the scheme's default port (80 or 443).
    const allowed =
      parsed !== undefined &&
      rule !== undefined &&
      (rule === true || rule.has(parsed.port) || (parsed.port === "" && (rule.has("80") || rule.has("443"))));
    if (this.#hostVerdicts.size < HOST_CACHE_LIMIT) this.#hostVerdicts.set(host, allowed);
    return allowed;
  }

  #hostRefused(host: string | undefined): InvalidRequestError {
    const message =
      host === undefined
        ? "Forbidden: the request has no Host header, which the DNS-rebinding check needs."
        : this.#hostList === undefined
          ? `Forbidden: Host ${quote(host)} is not allowed. Without the allowedHosts option only loopback names (localhost, 127.0.0.1, [::1]) are, against DNS rebinding: list the names this server is reached by in allowedHosts (e.g. allowedHosts: ["mcp.example.com"]).`
          : `Forbidden: Host ${quote(host)} is not allowed (allowedHosts: ${listed(this.#hostList)}): add the name this server is reached by to the allowedHosts option.`;
    return new InvalidRequestError(message, "forbidden", { header: "host" });
  }

  #originRefused(origin: string, host?: string): InvalidRequestError {
    const message =
      this.#origins !== undefined
        ? `Forbidden: Origin ${quote(origin)} is not allowed (allowedOrigins: ${listed(this.#originList)}): add the web app's origin to the allowedOrigins option.`
        : `Forbidden: Origin ${quote(origin)} is not this endpoint's own origin (Host ${quote(host ?? "")}): to let a web app on another origin call it, list that origin in the allowedOrigins option (e.g. allowedOrigins: ["https://app.example.com"]).`;
    return new InvalidRequestError(message, "forbidden", { header: "origin" });
  }
}
