// The admin page: every pool with its VMs (free, held by whom, from where, on which port, since when; owner, broken,
// resetting; a live thumbnail of each running one's screen; Repair and Unassign), every live session with an End session button, and the latest audit log entries.
// It reads GET /api/v1/me, GET /api/v1/admin/pools, GET /api/v1/sessions (all sessions for an admin) and
// GET /api/v1/admin/audit, refreshes every few seconds, and re-renders only when something changed, so a
// keyboard or screen-reader user does not lose their place. Non-admins and signed-out visitors get a message instead.

import { renderAccess, setupAccess } from "./admin-access.js";
import { renderAudit } from "./admin-audit.js";
import { renderUsers, setupUsers, usersSignature } from "./admin-users.js";
import { cell, element, since } from "./admin-dom.js";
import { refreshThumbnails, thumbnailCell } from "./admin-thumbnails.js";
import { ApiError, call, clearToken, sessionPath, storedToken } from "./api.js";

const REFRESH_SECONDS = 5;
const AUDIT_ENTRIES = 25; // the latest audit log entries shown

const $ = (id) => document.getElementById(id);
let me = null; // {name, admin, auditor} of the signed-in user
/** Whether the signed-in user may change things (admins), or only look (auditors). */
const canChange = () => me?.admin === true;
let pendingEnd = null; // the id of the session whose End session awaits confirmation
const ending = new Set(); // ids of sessions whose DELETE is in flight
let shown = { pools: [], sessions: [], audit: [], identity: { users: [], groups: [], pools: [] } }; // the data on screen
let signature = ""; // what was last rendered, to skip identical re-renders
let loading = false; // a refresh is in flight
let timer = null;

/** The page's state for people (the gate's words) and tests (`main[data-state]`). */
const GATES = {
  "signed-out": {
    title: "Sign in first",
    text: () => "The admin page is for Saffron admins and auditors. Sign in with such an account on the desktops page, "
      + "then choose Admin there.",
    link: "Sign in on the desktops page",
  },
  forbidden: {
    title: "Admins only",
    text: () => `This page is for Saffron admins and auditors only. You are signed in as ${me?.name ?? "a user"}, who `
      + "is neither. Ask an administrator if you need access.",
    link: "Go to your desktops",
  },
  failed: {
    title: "The admin page could not load",
    text: (detail) => detail,
    link: "Go to your desktops",
  },
};

function notify(text) {
  $("notice").textContent = text ?? "";
}

function showError(text) {
  if ($("error").textContent !== (text ?? "")) $("error").textContent = text ?? "";
  $("error").hidden = !text;
}

function setState(state) {
  $("admin").dataset.state = state;
  $("admin").setAttribute("aria-busy", state === "loading" ? "true" : "false");
}

/** Replaces the admin view by the message for `state` (a key of GATES). */
function gate(state, detail) {
  stopTimer();
  const { title, text, link } = GATES[state];
  $("admin-view").hidden = true;
  $("gate").hidden = false;
  $("gate-title").textContent = title;
  $("gate-text").textContent = text(detail);
  $("gate-link").textContent = link;
  notify("");
  showError("");
  setState(state);
}

/** A failed call while the admin view is up: a lost sign-in or admin right closes it, anything else is shown. */
function fail(error) {
  if (error instanceof ApiError && error.signedOut) {
    clearToken();
    me = null;
    showAccount();
    gate("signed-out");
  } else if (error instanceof ApiError && error.status === 403) {
    gate("forbidden");
  } else {
    showError(error instanceof ApiError ? error.message : `Something went wrong: ${error.message ?? error}`);
  }
}

function showAccount() {
  $("account-name").textContent = me?.name ?? "";
  $("logout").hidden = !me;
}

/** Who is signed in; then the admin view, or the message that says why not. */
async function start() {
  if (!storedToken()) return gate("signed-out");
  try {
    me = await call("GET", "/api/v1/me");
  } catch (error) {
    if (error instanceof ApiError && error.signedOut) {
      clearToken();
      return gate("signed-out");
    }
    return gate("failed", error instanceof ApiError ? error.message : String(error));
  }
  showAccount();
  if (!me?.admin && !me?.auditor) return gate("forbidden");
  for (const node of document.querySelectorAll(".admin-only")) node.hidden = !canChange();
  $("auditor-note").hidden = canChange();
  $("gate").hidden = true;
  $("admin-view").hidden = false;
  await refresh();
  startTimer();
}

function startTimer() {
  stopTimer();
  timer = setInterval(() => {
    if (!document.hidden && $("auto-refresh").checked) refresh({ quiet: true });
  }, REFRESH_SECONDS * 1000);
}

function stopTimer() {
  clearInterval(timer);
  timer = null;
}

/** Reloads pools and sessions; `quiet` (the timer) leaves the messages alone unless the sign-in was lost. */
async function refresh({ quiet = false } = {}) {
  if (loading) return;
  loading = true;
  try {
    const [pools, sessions, audit, users, groups] = await Promise.all([
      call("GET", "/api/v1/admin/pools"), call("GET", "/api/v1/admin/sessions"),
      call("GET", `/api/v1/admin/audit?limit=${AUDIT_ENTRIES}`), call("GET", "/api/v1/admin/users"),
      call("GET", "/api/v1/admin/groups"),
    ]);
    const identity = { users: users.users ?? [], groups: groups.groups ?? [], pools: pools.pools ?? [] };
    render(pools.pools ?? [], sessions.sessions ?? [], audit.events ?? [], identity);
    if (!quiet) notify("");
    showError("");
    $("updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
    setState("ready");
    refreshThumbnails(); // in place, not awaited: a slow screen dump does not hold the tables back
  } catch (error) {
    fail(error);
  } finally {
    loading = false;
  }
}

/** Renders the data unless the screen already shows it; keeps keyboard focus on the same control. */
function render(pools, sessions, audit, identity) {
  if (pendingEnd !== null && !sessions.some((session) => String(session.id) === pendingEnd)) pendingEnd = null;
  const minute = Math.floor(Date.now() / 60_000); // the "… min ago" texts change once a minute
  const next = JSON.stringify([pools, sessions, audit, identity, pendingEnd, [...ending], usersSignature(), minute]);
  shown = { pools, sessions, audit, identity };
  if (next === signature) return;
  signature = next;
  const focused = document.activeElement?.dataset?.key;
  renderPools(pools);
  renderSessions(sessions);
  renderAudit($("audit").tBodies[0], audit);
  renderAccess(identity, canChange(), act);
  renderUsers(identity, canChange(), { act, rerender });
  if (focused) document.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

function rerender() {
  signature = "";
  render(shown.pools, shown.sessions, shown.audit, shown.identity);
}

function button(label, key, action, { className, description } = {}) {
  const node = element("button", className, label);
  node.type = "button";
  node.dataset.key = key;
  if (description) node.setAttribute("aria-label", description);
  node.addEventListener("click", action);
  return node;
}

function stateBadge(state) {
  return element("span", `badge state-${state}`, state);
}

function renderPools(pools) {
  const container = $("pools");
  container.replaceChildren();
  if (pools.length === 0) {
    container.append(element("p", "empty", "No pools yet. Create one with `saffron pool create`."));
    return;
  }
  for (const pool of pools) {
    const vms = pool.vms ?? [];
    const free = pool.freeVMs ?? vms.filter((vm) => !vm.session).length;
    const broken = vms.filter((vm) => vm.broken).length;
    const card = element("article", "card pool");
    card.dataset.pool = pool.name;
    const titleID = `pool-${pool.name}`;
    const title = element("h3", null, pool.name);
    title.id = titleID;
    card.setAttribute("aria-labelledby", titleID);
    const head = element("div", "pool-head");
    const size = pool.maxVMs ? ` (up to ${pool.maxVMs})` : "";
    head.append(title, element("span", free > 0 ? "badge ok" : "badge busy",
      free > 0 ? `${free} free` : vms.length === 0 ? "no VMs" : "none free"));
    if (broken > 0) head.append(element("span", "badge broken", `${broken} broken`));
    const meta = element("p", "meta");
    const access = (pool.access ?? []).length > 0 ? pool.access.join(", ") : "admins only";
    const hosts = pool.hosts ?? [pool.connect];
    meta.append(`${pool.desktops ?? "pooled"} desktops · ${vms.length} VMs${size} · spares ${pool.policy?.spares ?? 0} · for ${access} · ${hosts.length > 1 ? "hypervisors" : "hypervisor"} `);
    hosts.forEach((host, index) => {
      if (index > 0) meta.append(", ");
      meta.append(element("code", null, host));
    });
    card.append(head, meta);
    if (vms.length > 0) {
      const wrap = element("div", "table-scroll");
      wrap.append(vmTable(pool, vms));
      card.append(wrap);
    }
    container.append(card);
  }
}

/** What a VM is doing, for its Status badge: [class, text]. */
function vmStatus(vm) {
  if (vm.broken) return ["badge broken", `broken: ${vm.broken}`];
  if (vm.session) return ["badge busy", `held · ${vm.session.state}`];
  if (vm.resetting) return ["badge busy", "resetting"];
  if (vm.created === false) return ["badge idle", "not created yet"];
  return ["badge ok", vm.owner ? "kept for its owner" : "free"];
}

function vmTable(pool, vms) {
  const table = element("table", "grid vms");
  const caption = element("caption", "visually-hidden", `VMs of pool ${pool.name}`);
  const head = element("thead");
  const row = element("tr");
  for (const label of ["VM", "Status", "Screen", "Owner", "Held by", "Client address", "Port", "Since", "Actions"]) {
    const th = element("th", null, label);
    th.scope = "col";
    row.append(th);
  }
  head.append(row);
  const body = element("tbody");
  for (const vm of vms) {
    const tr = element("tr", vm.broken ? "broken" : vm.session ? "held" : "free");
    tr.dataset.vm = vm.name;
    const name = element("th", null, vm.name);
    if ((pool.hosts ?? []).length > 1 && vm.host) {
      name.append(element("br"), element("small", "host", `on ${vm.host}`));
    }
    name.scope = "row";
    name.dataset.label = "VM";
    const held = vm.session;
    const [statusClass, statusText] = vmStatus(vm);
    tr.append(
      name,
      cell("Status", element("span", statusClass, statusText)),
      cell("Screen", thumbnailCell(pool, vm), "col-screen"),
      cell("Owner", vm.owner),
      cell("Held by", held?.user),
      cell("Client address", held?.clientAddress, "mono"),
      cell("Port", held ? String(held.port) : null, "mono"),
      cell("Since", held ? since(held.createdAt) : null),
      cell("Actions", vmActions(pool, vm)),
    );
    body.append(tr);
  }
  table.append(caption, head, body);
  return table;
}

/** Repair for a broken VM, Unassign for a persistent desktop nobody is using; nothing otherwise. */
function vmActions(pool, vm) {
  if (!canChange()) return "—";
  const box = element("div", "row-actions");
  const path = `/api/v1/admin/pools/${encodeURIComponent(pool.name)}/vms/${encodeURIComponent(vm.name)}`;
  if (vm.broken && !vm.session) {
    box.append(button("Repair", `repair:${pool.name}/${vm.name}`, () =>
      vmAction(`${path}/repair`, `Repaired ${vm.name}; it is handed out again.`), {
      className: "secondary", description: `Repair ${vm.name} of pool ${pool.name}`,
    }));
  }
  if (vm.owner && !vm.session) {
    box.append(button("Unassign", `unassign:${pool.name}/${vm.name}`, () =>
      vmAction(`${path}/unassign`, `${vm.name} is no longer ${vm.owner}'s.`), {
      className: "secondary", description: `Take ${vm.name} from ${vm.owner}`,
    }));
  }
  return box.childElementCount > 0 ? box : "—";
}

/** An admin change from the groups, access and users forms: says `done` or the error, then refreshes; true when it worked. */
async function act(method, path, done, body) {
  let worked = false;
  try {
    await call(method, path, body === undefined ? {} : { body });
    notify(done);
    showError("");
    worked = true;
  } catch (error) {
    fail(error);
  }
  signature = "";
  await refresh({ quiet: true });
  return worked;
}

async function vmAction(path, done) {
  try {
    await call("POST", path);
    notify(done);
    showError("");
  } catch (error) {
    fail(error);
  }
  signature = "";
  await refresh({ quiet: true });
}

function renderSessions(sessions) {
  const body = $("sessions").tBodies[0];
  body.replaceChildren();
  $("session-count").textContent = `(${sessions.length})`;
  if (sessions.length === 0) {
    const row = element("tr", "empty");
    const td = element("td", "empty", "No live sessions.");
    td.colSpan = 9;
    row.append(td);
    body.append(row);
    return;
  }
  for (const session of sessions) {
    const id = String(session.id);
    const tr = element("tr");
    tr.dataset.session = id;
    tr.append(
      cell("User", session.user, "col-user"),
      cell("Pool", session.pool, "col-pool"),
      cell("VM", session.vm, "col-vm"),
      cell("Client address", session.clientAddress, "col-client mono"),
      cell("Port", String(session.port), "col-port mono"),
      cell("State", stateBadge(session.state), "col-state"),
      cell("Viewer", viewerBadge(session), "col-viewer"),
      cell("Since", since(session.createdAt), "col-since"),
      cell("Actions", endControls(session), "col-actions"),
    );
    body.append(tr);
  }
}

/** Whether the session's viewer is attached, from the hypervisor's SPICE events. */
function viewerBadge(session) {
  const badge = element("span", session.attached ? "badge ok" : "badge idle",
    session.attached ? `attached · ${session.attachedChannels} ch` : "not attached");
  if (session.presenceChangedAt) badge.title = `Since ${new Date(session.presenceChangedAt).toLocaleString()}`;
  return badge;
}

/** End session, or (after it was pressed) the confirmation: End it / Keep. */
function endControls(session) {
  if (!canChange()) return "—";
  const id = String(session.id);
  const who = `${session.user}'s session on ${session.vm}`;
  const box = element("div", "row-actions");
  if (ending.has(id)) {
    const wait = button("Ending…", `ending:${id}`, () => {}, { className: "danger" });
    wait.disabled = true;
    box.append(wait);
    return box;
  }
  if (pendingEnd !== id) {
    box.append(button("End session", `end:${id}`, () => {
      pendingEnd = id;
      rerender();
      document.querySelector(`[data-key="${CSS.escape(`confirm:${id}`)}"]`)?.focus();
    }, { className: "danger", description: `End ${who}` }));
    return box;
  }
  const question = element("span", "confirm-question", `End ${who}?`);
  const confirm = button("End it", `confirm:${id}`, () => endSession(session), {
    className: "danger-solid", description: `Yes, end ${who}`,
  });
  const keep = button("Keep", `cancel:${id}`, () => {
    pendingEnd = null;
    rerender();
    document.querySelector(`[data-key="${CSS.escape(`end:${id}`)}"]`)?.focus();
  }, { className: "secondary", description: `Keep ${who}` });
  box.append(question, confirm, keep);
  return box;
}

async function endSession(session) {
  const id = String(session.id);
  const who = `${session.user}'s session on ${session.vm}`;
  ending.add(id);
  pendingEnd = null;
  rerender();
  try {
    await call("DELETE", sessionPath(session.id));
    notify(`Ended ${who} (pool ${session.pool}).`);
    showError("");
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 410)) {
      notify(`${who} had already ended.`);
    } else {
      fail(error);
    }
  } finally {
    ending.delete(id);
  }
  signature = "";
  await refresh({ quiet: true });
  if (!document.querySelector(`tr[data-session="${CSS.escape(id)}"]`)) $("sessions-title").focus();
}

async function logOut() {
  try {
    await call("POST", "/api/v1/logout");
  } catch {
    // Signed out locally either way.
  }
  clearToken();
  sessionStorage.removeItem("saffron.user");
  window.location.assign("/");
}

$("refresh").addEventListener("click", () => {
  signature = "";
  refresh();
});
$("logout").addEventListener("click", logOut);
setupAccess(act);
setupUsers(act);
$("auto-refresh").addEventListener("change", () => {
  if ($("auto-refresh").checked) refresh({ quiet: true });
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && pendingEnd !== null) {
    const id = pendingEnd;
    pendingEnd = null;
    rerender();
    document.querySelector(`[data-key="${CSS.escape(`end:${id}`)}"]`)?.focus();
  }
});
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && timer && $("auto-refresh").checked) refresh({ quiet: true });
});

start();
