import { toBase64 } from "../util/base64.js";
import { DASHBOARD_SCRIPT, DASHBOARD_STYLE } from "./dashboard-page.js";

let headers: Promise<Record<string, string>> | undefined;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${toBase64(new Uint8Array(digest))}'`;
}

/**
 * The page's security headers, computed once: a Content-Security-Policy that runs only the
 * page's own inline script and style (by hash), connects only to its own origin and lets no
 * site frame it (a framed cancel button could be clicked through: clickjacking).
 */
export function pageHeaders(): Promise<Record<string, string>> {
  headers ??= Promise.all([sha256(DASHBOARD_SCRIPT), sha256(DASHBOARD_STYLE)]).then(([script, style]) => ({
    "content-security-policy": `default-src 'none'; script-src ${script}; style-src ${style}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  }));
  return headers;
}
