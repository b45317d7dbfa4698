/**
 * The targets compared, each one server script under bench/targets/ started fresh per measurement.
 * `ours` marks FastestMCP variants (profiled with `--profile`, and the numerator of every ratio).
 */
import type { ChildSpec } from "./child.js";

export interface Target extends ChildSpec {
  id: string;
  label: string;
  ours: boolean;
}

export const FASTESTMCP: Target = {
  id: "fastestmcp",
  label: "FastestMCP",
  script: "targets/fastestmcp.ts",
  ours: true,
};
export const FASTESTMCP_JSON: Target = {
  ...FASTESTMCP,
  id: "fastestmcp-json",
  label: "FastestMCP, jsonResponse",
  args: ["--json-response"],
};
export const FASTESTMCP_NO_COALESCING: Target = {
  ...FASTESTMCP,
  id: "fastestmcp-interval-0",
  label: "FastestMCP, progressIntervalMs 0",
  args: ["--progress-interval-ms", "0"],
};
export const FASTESTMCP_COALESCING: Target = {
  ...FASTESTMCP,
  id: "fastestmcp-interval-50",
  label: "FastestMCP, progressIntervalMs 50 (default)",
};
export const SDK: Target = { id: "sdk", label: "official SDK v1", script: "targets/sdk.ts", ours: false };
export const SDK_JSON: Target = {
  ...SDK,
  id: "sdk-json",
  label: "official SDK v1, enableJsonResponse",
  args: ["--json-response"],
};
export const BARE: Target = {
  id: "bare",
  label: "bare node:http (limit)",
  script: "targets/bare.ts",
  ours: false,
};
