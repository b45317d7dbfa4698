/**
 * The dashboard page: one self-contained document, no framework and no build step. It is the
 * same for everyone (nothing is interpolated into it), so nothing in it needs escaping; what it
 * shows arrives as JSON over the event stream and reaches the DOM through `textContent` and
 * attributes only, never as HTML: task messages and log lines are user data.
 */

/** The page's style sheet (its CSP hash is computed from exactly this text). */
export const DASHBOARD_STYLE = `
:root{color-scheme:light dark;font:14px/1.4 system-ui,sans-serif;--ok:#2e7d32;--bad:#c62828;--run:#1565c0;--muted:#888}
body{margin:0 auto;max-width:60rem;padding:1rem}
header{display:flex;gap:1rem;align-items:baseline}
h1{font-size:1.3rem;margin:0}
#state{color:var(--muted)}
[hidden]{display:none!important}
ol{list-style:none;margin:0;padding:0}
.task{border:1px solid #8884;border-radius:6px;margin:.6rem 0;padding:.6rem .8rem}
.head{display:flex;gap:.6rem;align-items:center}
.tool{font-weight:600}
.id{color:var(--muted);font-family:ui-monospace,monospace}
.status{border-radius:1rem;padding:0 .5rem;background:#8882}
.task[data-status=working] .status{color:var(--run)}
.task[data-status=input_required] .status{color:#ef6c00}
.task[data-status=completed] .status{color:var(--ok)}
.task[data-status=failed] .status,.task[data-status=cancelled] .status{color:var(--bad)}
.cancel{margin-left:auto}
.track{height:.6rem;background:#8883;border-radius:.3rem;margin:.5rem 0;overflow:hidden}
.fill{height:100%;width:0;background:var(--run);transition:width .2s}
.task[data-status=completed] .fill{background:var(--ok)}
.task[data-status=failed] .fill,.task[data-status=cancelled] .fill{background:var(--bad)}
.meta{display:flex;gap:.8rem;flex-wrap:wrap}
.reported{color:var(--muted);margin-left:auto}
.logs{font-family:ui-monospace,monospace;font-size:12px;color:var(--muted);margin-top:.3rem}
.logs li[data-level=warning],.logs li[data-level=error]{color:var(--bad)}
`;

/** The page's script (its CSP hash is computed from exactly this text). */
export const DASHBOARD_SCRIPT = `
"use strict";
const base = location.pathname.replace(/\\/+$/, "");
const list = document.getElementById("tasks");
const state = document.getElementById("state");
const empty = document.getElementById("empty");
const login = document.getElementById("login");
const rows = new Map();
const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const LOG_LINES = 8;
// A bearer token, when the server has auth: from #token=… (a fragment never reaches the server),
// or typed in; kept for this tab only.
let token = sessionStorage.getItem("fastestmcp-token") || "";
const fragment = /^#token=(.+)$/.exec(location.hash);
if (fragment) {
  token = decodeURIComponent(fragment[1]);
  sessionStorage.setItem("fastestmcp-token", token);
  history.replaceState(null, "", location.pathname);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function headers(extra) {
  return token ? { ...extra, authorization: "Bearer " + token } : extra;
}

function row(task) {
  let r = rows.get(task.taskId);
  if (r) return r;
  r = { root: el("li", "task"), tool: el("span", "tool"), id: el("span", "id", task.taskId.slice(0, 8)),
    status: el("span", "status"), cancel: el("button", "cancel", "Cancel"), track: el("div", "track"),
    fill: el("div", "fill"), amount: el("span", "amount"), message: el("span", "message"),
    reported: el("time", "reported"), logs: el("ol", "logs") };
  r.root.dataset.taskId = task.taskId;
  r.id.title = task.taskId;
  r.cancel.type = "button";
  r.cancel.addEventListener("click", () => cancelTask(task.taskId, r.cancel));
  r.track.setAttribute("role", "progressbar");
  r.track.setAttribute("aria-valuemin", "0");
  r.track.setAttribute("aria-valuemax", "100");
  r.track.append(r.fill);
  const head = el("div", "head");
  head.append(r.tool, r.id, r.status, r.cancel);
  const meta = el("div", "meta");
  meta.append(r.amount, r.message, r.reported);
  r.root.append(head, r.track, meta, r.logs);
  list.prepend(r.root);
  rows.set(task.taskId, r);
  return r;
}

function render(task) {
  const r = row(task);
  const p = task.progress;
  const done = TERMINAL.has(task.status);
  r.root.dataset.status = task.status;
  r.tool.textContent = task.toolName;
  r.status.textContent = task.status;
  r.cancel.hidden = done;
  let percent = null;
  if (p && p.total) percent = Math.min(100, Math.floor((p.current / p.total) * 100));
  else if (task.status === "completed") percent = 100;
  r.fill.style.width = (percent === null ? 0 : percent) + "%";
  r.track.dataset.percent = percent === null ? "" : String(percent);
  if (percent === null) r.track.removeAttribute("aria-valuenow");
  else r.track.setAttribute("aria-valuenow", String(percent));
  r.amount.textContent = !p ? "" : p.total ? percent + "% " + p.current + "/" + p.total : String(p.current);
  r.message.textContent = (done && task.statusMessage) || (p && p.message) || task.statusMessage || "";
  r.reported.textContent = p ? new Date(p.reportedAt).toLocaleTimeString() : "";
  r.reported.dateTime = p ? p.reportedAt : "";
  r.reported.title = p ? "progress reported at " + p.reportedAt : "";
  summary();
}

function addLog(taskId, line) {
  const r = rows.get(taskId);
  if (!r) return;
  const item = el("li", "", new Date(line.timestamp).toLocaleTimeString() + " " + line.level + ": " + line.message);
  item.dataset.level = line.level;
  r.logs.append(item);
  while (r.logs.childElementCount > LOG_LINES) r.logs.firstElementChild.remove();
}

function summary() {
  let running = 0;
  for (const r of rows.values()) if (!TERMINAL.has(r.root.dataset.status)) running++;
  empty.hidden = rows.size > 0;
  state.textContent = "live: " + rows.size + " tasks, " + running + " unfinished";
}

function handle(type, data) {
  const message = JSON.parse(data);
  if (type === "snapshot") {
    rows.clear();
    list.replaceChildren();
    if (message.server) document.title = message.server + " tasks";
    for (const task of message.tasks) {
      render(task);
      for (const line of task.logs) addLog(task.taskId, line);
    }
    summary();
  } else if (type === "task") render(message.task);
  else if (type === "log") addLog(message.taskId, message.line);
}

function dispatch(block) {
  let type = "message";
  let data = "";
  for (const line of block.split("\\n")) {
    if (line.startsWith("event:")) type = line.slice(6).trim();
    else if (line.startsWith("data:")) data += line.slice(line.startsWith("data: ") ? 6 : 5);
  }
  if (data) handle(type, data);
}

async function connect() {
  let response;
  try {
    response = await fetch(base + "/events", { headers: headers({ accept: "text/event-stream" }), cache: "no-store" });
  } catch {
    return retry("offline");
  }
  if (response.status === 401 || response.status === 403) {
    state.textContent = "an access token is needed";
    login.hidden = false;
    return;
  }
  if (!response.ok || !response.body) return retry("error " + response.status);
  login.hidden = true;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ done: true }));
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\\n\\n")) !== -1) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
  retry("disconnected");
}

function retry(why) {
  state.textContent = why + ", reconnecting…";
  setTimeout(connect, 1000);
}

async function cancelTask(taskId, button) {
  button.disabled = true;
  try {
    const response = await fetch(base + "/cancel", {
      method: "POST",
      headers: headers({ "content-type": "application/json" }),
      body: JSON.stringify({ taskId }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      state.textContent = "cancel failed: " + ((body && body.error && body.error.message) || response.status);
    }
  } catch {
    state.textContent = "cancel failed: offline";
  }
  button.disabled = false;
}

login.addEventListener("submit", (event) => {
  event.preventDefault();
  token = document.getElementById("token").value.trim();
  sessionStorage.setItem("fastestmcp-token", token);
  connect();
});
connect();
`;

/** The whole page. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tasks</title>
<style>${DASHBOARD_STYLE}</style>
</head>
<body>
<header><h1>Tasks</h1><span id="state">connecting…</span></header>
<form id="login" hidden><label>Access token <input id="token" type="password" autocomplete="off"></label> <button>Connect</button></form>
<p id="empty">No tasks yet.</p>
<ol id="tasks"></ol>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
