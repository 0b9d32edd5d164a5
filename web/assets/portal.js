// The portal: sign in, see the pools you may use and your running desktops, open them in the browser or as a
// .vv file for remote-viewer, end them, sign out. Everything goes through the JSON API in api.js.

import { ApiError, call, clearToken, sessionPath, storeToken, storedToken } from "./api.js";
import { setupPasswordChange } from "./portal-password.js";

const USER_KEY = "saffron.user";
const REFRESH_SECONDS = 15;

const $ = (id) => document.getElementById(id);
let refreshTimer = null;
let me = null; // {name, admin, auditor} from GET /api/v1/me; null until known

/** Shows a passing message (polite status), or clears it. */
function notify(text) {
  $("notice").textContent = text ?? "";
}

/** Shows an error (assertive alert), or hides it. */
function showError(text) {
  $("error").textContent = text ?? "";
  $("error").hidden = !text;
}

/** Shows the error of a failed call; a lost sign-in sends the user back to the form. */
function fail(error) {
  if (error instanceof ApiError && error.signedOut && storedToken()) {
    signedOut("Your sign-in has expired. Please sign in again.");
    return;
  }
  notify("");
  showError(error instanceof ApiError ? error.message : `Something went wrong: ${error.message ?? error}`);
}

function signedOut(message) {
  clearToken();
  sessionStorage.removeItem(USER_KEY);
  clearInterval(refreshTimer);
  refreshTimer = null;
  me = null;
  $("admin-link").hidden = true;
  $("desktop-view").hidden = true;
  $("password-view").hidden = true;
  $("account").hidden = true;
  $("login-view").hidden = false;
  $("password").value = "";
  notify("");
  showError(message);
  $("username").focus();
}

async function signedIn() {
  await whoAmI();
  $("login-view").hidden = true;
  $("desktop-view").hidden = false;
  $("account").hidden = false;
  $("account-name").textContent = sessionStorage.getItem(USER_KEY) ?? "";
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => {
    if (!document.hidden) refresh({ quiet: true });
  }, REFRESH_SECONDS * 1000);
  return refresh();
}

/** Asks who is signed in: admins and auditors get the Admin link. A server without /me, or a failure, just shows no link. */
async function whoAmI() {
  try {
    me = await call("GET", "/api/v1/me");
  } catch {
    me = null;
  }
  $("admin-link").hidden = !(me?.admin || me?.auditor);
}

/** Reloads pools and sessions; `quiet` keeps the current messages (background refresh). */
async function refresh({ quiet = false } = {}) {
  try {
    const [pools, sessions] = await Promise.all([call("GET", "/api/v1/pools"), call("GET", "/api/v1/sessions")]);
    renderPools(pools.pools ?? []);
    // An admin's GET /sessions lists everyone's sessions (the admin page shows those): keep only theirs here.
    renderSessions((sessions.sessions ?? []).filter((session) => !me || !session.user || session.user === me.name));
    if (!quiet) showError("");
  } catch (error) {
    if (!quiet || (error instanceof ApiError && error.signedOut)) fail(error);
  }
}

/** An element with a class and text. */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, action, { className, description } = {}) {
  const node = element("button", className, label);
  node.type = "button";
  if (description) node.setAttribute("aria-label", description);
  node.addEventListener("click", async () => {
    node.disabled = true;
    try {
      await action();
    } finally {
      node.disabled = false;
    }
  });
  return node;
}

function renderPools(pools) {
  const list = $("pools");
  list.replaceChildren();
  list.setAttribute("aria-busy", "false");
  if (pools.length === 0) {
    list.append(element("li", "empty", "No desktop pools are open to you. Ask your administrator."));
    return;
  }
  for (const pool of pools) {
    const item = element("li", "card pool");
    item.dataset.pool = pool.name;
    const free = element("span", pool.freeVMs > 0 ? "badge ok" : "badge busy",
      pool.freeVMs > 0 ? `${pool.freeVMs} of ${pool.capacity} free` : `all ${pool.capacity} in use`);
    const title = element("h3", null, pool.name);
    const actions = element("div", "actions");
    actions.append(
      button("Connect in browser", () => connectInBrowser(pool.name), { description: `Connect to ${pool.name} in the browser` }),
      button("Download .vv", () => downloadForPool(pool.name), {
        className: "secondary", description: `Download a .vv file for ${pool.name}`,
      }),
    );
    if (pool.desktopsPerUser > 1) {
      actions.append(button("Another desktop in browser", () => connectInBrowser(pool.name, { another: true }), {
        className: "secondary",
        description: `Open one more desktop of ${pool.name} in the browser (up to ${pool.desktopsPerUser} at once)`,
      }));
    }
    item.append(title, free, actions);
    list.append(item);
  }
}

function renderSessions(sessions) {
  const list = $("sessions");
  list.replaceChildren();
  if (sessions.length === 0) {
    list.append(element("li", "empty", "None. Connect to a pool above to start one."));
    return;
  }
  for (const session of sessions) {
    const item = element("li", "card session");
    item.dataset.session = String(session.id);
    const title = element("h3", null, `${session.pool} · ${session.vm}`);
    const state = element("span", `badge state-${session.state}`, session.state);
    const viewer = element("span", session.attached ? "badge viewer ok" : "badge viewer idle",
      session.attached ? "viewer attached" : "no viewer");
    viewer.title = session.attached
      ? `A viewer is connected (${session.attachedChannels} SPICE channels)`
      : "No viewer is connected to this desktop right now";
    // Through the SPICE gateway a .vv carries the session's console credential, not a one-time ticket.
    const lasting = session.via === "gateway";
    const since = element("p", "meta");
    const started = new Date(session.createdAt);
    since.textContent = Number.isNaN(started.getTime()) ? "" : `Started ${started.toLocaleString()}`;
    const actions = element("div", "actions");
    actions.append(
      button("Reconnect", () => openConsole(session.id), { description: `Reconnect to ${session.vm} in the browser` }),
      button("Download .vv", () => downloadConsole(session.id), {
        className: "secondary",
        description: lasting
          ? `Download a .vv file for ${session.vm} that opens it again for as long as the session lasts`
          : `Download a .vv file for ${session.vm}`,
      }),
      button("Send to phone", () => sendToPhone(session.id), {
        className: "secondary", description: `Show a QR code that opens ${session.vm} in aSpice on a phone`,
      }),
      button("End", () => endSession(session), { className: "danger", description: `End the desktop ${session.vm}` }),
    );
    item.append(title, state, " ", viewer, since);
    if (lasting) {
      item.append(element("p", "meta lasting", "Its .vv file keeps working while the session lasts: keep it and open it again."));
    }
    const lookedIn = consoleOpenings(session.consoleOpenedBy);
    if (lookedIn) item.append(lookedIn);
    item.append(actions);
    list.append(item);
  }
}

/** A line telling the user which admins were given a way into their desktop, newest first; null if none. */
function consoleOpenings(openings) {
  if (!Array.isArray(openings) || openings.length === 0) return null;
  const newest = openings[0];
  const at = new Date(newest.at);
  const when = Number.isNaN(at.getTime()) ? "" : ` at ${at.toLocaleString()}`;
  const others = openings.length > 1 ? ` (${openings.length} times in all)` : "";
  const line = element("p", "meta looked-in", `Admin ${newest.by} was given access to this desktop${when}${others}.`);
  line.title = openings.map((opening) => `${opening.by}, ${new Date(opening.at).toLocaleString()}`).join("\n");
  return line;
}

/** Gets (or gets back) the user's desktop in `pool`, or with `another` one more: the session. */
async function desktopIn(pool, { another = false } = {}) {
  notify(`Starting a desktop in ${pool}…`);
  showError("");
  const query = another ? "?another=true" : "";
  return call("POST", `/api/v1/pools/${encodeURIComponent(pool)}/desktop${query}`);
}

function openConsole(id) {
  window.location.assign(`/console.html?session=${encodeURIComponent(id)}`);
}

function sendToPhone(id) {
  window.location.assign(`/phone.html?session=${encodeURIComponent(id)}`);
}

async function connectInBrowser(pool, options = {}) {
  try {
    const session = await desktopIn(pool, options);
    notify(`Opening ${session.vm}…`);
    openConsole(session.id);
  } catch (error) {
    fail(error);
    refresh({ quiet: true });
  }
}

async function downloadForPool(pool) {
  try {
    const session = await desktopIn(pool);
    await downloadConsole(session.id);
  } catch (error) {
    fail(error);
  }
  refresh({ quiet: true });
}

/** Fetches the session's .vv file with the bearer header and saves it under the server's file name. */
async function downloadConsole(id) {
  try {
    const response = await call("GET", `${sessionPath(id)}/console.vv`, { raw: true });
    const blob = await response.blob();
    const name = fileName(response.headers.get("Content-Disposition")) ?? `saffron-${id}.vv`;
    const url = URL.createObjectURL(blob);
    const link = element("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    notify(`Saved ${name}. Open it with remote-viewer (virt-viewer) soon: its password is short-lived.`);
  } catch (error) {
    fail(error);
  }
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` or `filename="…"`). */
function fileName(header) {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1].trim() : null;
}

async function endSession(session) {
  if (!window.confirm(`End the desktop ${session.vm}? Unsaved work in it is lost.`)) return;
  try {
    await call("DELETE", sessionPath(session.id));
    notify(`Ended ${session.vm}.`);
    showError("");
  } catch (error) {
    fail(error);
  }
  await refresh({ quiet: true });
}

async function logIn(event) {
  event.preventDefault();
  const username = $("username").value.trim();
  const password = $("password").value;
  $("login-button").disabled = true;
  notify("Signing in…");
  showError("");
  try {
    const answer = await call("POST", "/api/v1/login", { body: { username, password }, auth: false });
    storeToken(answer.token);
    sessionStorage.setItem(USER_KEY, username);
    $("password").value = "";
    notify("");
    await signedIn();
  } catch (error) {
    notify("");
    showError(error instanceof ApiError ? error.message : String(error));
    $("password").select();
  } finally {
    $("login-button").disabled = false;
  }
}

async function logOut() {
  try {
    await call("POST", "/api/v1/logout");
  } catch {
    // Signed out locally either way; a token the server no longer knows is harmless.
  }
  signedOut("");
  notify("You are signed out. Your desktops keep running until you end them.");
}

$("login-form").addEventListener("submit", logIn);
$("logout").addEventListener("click", logOut);
$("refresh").addEventListener("click", () => refresh());
setupPasswordChange({
  changed: () => {
    signedOut("");
    notify("Your password is changed. Sign in with the new one; your desktops keep running.");
  },
  showError,
});
if (storedToken()) signedIn();
else signedOut("");
