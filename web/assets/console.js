// The browser console: asks the API for a web-console grant for `?session=ID`, hands its WebSocket URL and SPICE
// password to spice-html5 (served by the broker at /spice-html5/), and tells in the status bar what happens. A
// reusable grant (the session's console credential, through the broker's SPICE gateway) is kept in the tab's
// sessionStorage until it expires or is refused, so reloading the page reconnects without asking again.
//
// spice-html5 turns every WebSocket close into a bare Error ("Unexpected close while ready") and drops the close
// code the gateway chose, and its secondary channels (display, inputs, cursor) report nothing at all. So the page
// wraps window.WebSocket before spice-html5 creates any socket and reads the close codes itself:
// 4401 token refused, 4403 origin not allowed, 4410 session ended, 4502 desktop unreachable, 4408 idle,
// 1000 the desktop closed the connection.

import { SpiceMainConn, handle_resize, sendCtrlAltDel } from "/spice-html5/main.js";
import { ApiError, call, sessionPath, storedToken } from "./api.js";

/** Every state the status bar can show; `retry` offers Reconnect, `final` means nothing more will happen. */
const STATES = {
  loading: { text: "Loading the console…" },
  connecting: { text: "Connecting to your desktop…" },
  connected: { text: "Connected" },
  "ticket-expired": {
    text: "The desktop refused the console password: the SPICE ticket has expired or was replaced. Reconnect to get a fresh one.",
    retry: true,
  },
  "session-ended": { text: "This desktop session has ended. Go back to your desktops to start a new one." },
  unreachable: { text: "The desktop cannot be reached right now (is it shutting down?). Try to reconnect in a moment.", retry: true },
  "token-refused": { text: "The console link was refused: it expired or was already used. Reconnect to get a new one.", retry: true },
  "not-allowed": { text: "Consoles may not be opened from this address: the gateway does not allow this page's origin." },
  idle: { text: "Disconnected after a long idle time.", retry: true },
  closed: { text: "The desktop closed the connection.", retry: true },
  "gateway-unreachable": { text: "The console gateway cannot be reached. Check your network and reconnect.", retry: true },
  "no-session": { text: "No desktop was chosen. Go back to your desktops and pick one." },
  "not-found": {
    text: "This desktop session is not open to you: it has ended, it is someone else's, or it never existed. Go back to your desktops to start one.",
  },
  "signed-out": { text: "You are not signed in (or your sign-in expired). Sign in on the desktops page, then reconnect." },
  failed: { text: "The console failed.", retry: true },
  disconnected: { text: "Disconnected.", retry: true },
};

/** Close codes the gateway sends, as states. */
const CLOSE_CODES = {
  4401: "token-refused",
  4403: "not-allowed",
  4408: "idle",
  4410: "session-ended",
  4502: "unreachable",
  1000: "closed",
};

const $ = (id) => document.getElementById(id);
const sessionID = new URLSearchParams(window.location.search).get("session");

const grantKey = `saffron-console-grant-${sessionID}`;
/** States after which a kept grant is no good any more. */
const SPENT_GRANT_STATES = new Set(["token-refused", "ticket-expired", "session-ended", "not-found", "signed-out"]);

/** The reusable grant this tab kept for the session, while it has more than a minute left; else null. */
function keptGrant() {
  try {
    const grant = JSON.parse(sessionStorage.getItem(grantKey));
    return grant?.reusable && Date.parse(grant.tokenExpiresAt) > Date.now() + 60_000 ? grant : null;
  } catch {
    return null;
  }
}

let connection = null; // the SpiceMainConn of the current attempt
let attempt = 0; // bumped on every (re)connect; events of older attempts are ignored
let settled = false; // the current attempt reached an end state

/** Shows `state` (a key of STATES) with an optional detail after its text. */
function show(state, detail) {
  const { text, retry = false } = STATES[state] ?? STATES.failed;
  const status = $("status");
  status.dataset.state = state;
  status.textContent = detail ? `${text} ${detail}` : text;
  const live = state === "connected";
  $("reconnect").hidden = !retry;
  $("ctrl-alt-del").hidden = !live;
  $("disconnect").hidden = !(live || state === "connecting");
  document.title = `${live ? "" : "(" + state.replaceAll("-", " ") + ") "}Desktop console · Saffron`;
}

/**
 * A generic end (the desktop closed a channel, an unexpected close) waits a moment before it is shown: when a
 * session ends, the desktop may close one channel just before the gateway's 4410 arrives on another, and the
 * specific reason should win.
 */
let pendingEnd = null;
function settleSoon(state, detail) {
  if (settled || pendingEnd) return;
  const owner = attempt;
  pendingEnd = setTimeout(() => {
    pendingEnd = null;
    if (owner === attempt) settle(state, detail);
  }, 1000);
}

/** Ends the current attempt in `state`: later events of its sockets change nothing. */
function settle(state, detail) {
  if (settled) return;
  settled = true;
  if (SPENT_GRANT_STATES.has(state)) sessionStorage.removeItem(grantKey);
  clearTimeout(pendingEnd);
  pendingEnd = null;
  show(state, detail);
  stopConnection();
}

function stopConnection() {
  const current = connection;
  connection = null;
  window.spice_connection = undefined;
  if (!current) return;
  try {
    current.stop();
  } catch {
    // Already torn down by spice-html5.
  }
}

/** WebSocket that reports its close code to the page; spice-html5 creates one per SPICE channel. */
const NativeWebSocket = window.WebSocket;
class WatchedWebSocket extends NativeWebSocket {
  constructor(url, protocols) {
    super(url, protocols);
    const owner = attempt;
    let opened = false;
    this.addEventListener("open", () => { opened = true; });
    // Added before spice-html5 adds its own listener, so the code is known before its onerror runs.
    this.addEventListener("close", (event) => socketClosed(owner, event, opened));
  }
}
window.WebSocket = WatchedWebSocket;

function socketClosed(owner, event, opened) {
  if (owner !== attempt || settled) return;
  const state = CLOSE_CODES[event.code];
  if (state && event.code >= 4000) {
    settle(state); // the gateway's own reason
  } else if (state) {
    settleSoon(state);
  } else if (!opened) {
    settleSoon("gateway-unreachable");
  } else {
    settleSoon("failed", `The connection closed unexpectedly (code ${event.code}${event.reason ? ": " + event.reason : ""}).`);
  }
}

/** spice-html5's onerror: an Error with its words, or the socket's error Event (whose close event follows). */
function spiceError(owner, error) {
  if (owner !== attempt || settled) return;
  if (!(error instanceof Error)) return; // the close event that follows an error event carries the code
  const words = error.message ?? "";
  if (/permission denied|bad password/i.test(words)) {
    settle("ticket-expired");
  } else if (/timed out/i.test(words)) {
    settle("failed", "Timed out while connecting to the desktop.");
  } else {
    settleSoon("failed", words); // "Unexpected close ...": a close code may still say more
  }
}

/**
 * Connects spice-html5 with the grant this tab kept, or a fresh one (gateway URL with a token, SPICE password); a
 * reusable one is kept for the next reload.
 */
async function connect() {
  attempt += 1;
  clearTimeout(pendingEnd);
  pendingEnd = null;
  const owner = attempt;
  settled = false;
  stopConnection();
  $("spice-screen").replaceChildren();
  if (!sessionID) return settle("no-session");
  if (!storedToken()) return settle("signed-out");
  show("connecting");
  let grant = keptGrant();
  try {
    grant ??= await call("POST", `${sessionPath(sessionID)}/web-console`);
    if (grant.reusable) sessionStorage.setItem(grantKey, JSON.stringify(grant));
  } catch (error) {
    if (owner !== attempt) return;
    if (error instanceof ApiError && error.signedOut) return settle("signed-out");
    // The API answers 404 alike for ended, foreign and unknown sessions; the state's text names all three.
    if (error instanceof ApiError && error.status === 404) return settle("not-found");
    if (error instanceof ApiError && error.status === 410) return settle("session-ended", error.message);
    return settle("failed", error.message);
  }
  if (owner !== attempt) return;
  try {
    connection = new SpiceMainConn({
      uri: grant.url,
      screen_id: "spice-screen",
      password: grant.password,
      onerror: (error) => spiceError(owner, error),
      onsuccess: () => {
        if (owner === attempt && !settled) show("connected");
      },
      onagent: (sc) => {
        window.spice_connection = sc;
        window.addEventListener("resize", handle_resize);
        handle_resize();
      },
    });
  } catch (error) {
    settle("failed", error.message);
  }
}

/** Shows which desktop this is; a nicety, so failures are ignored. */
async function nameDesktop() {
  try {
    const { sessions } = await call("GET", "/api/v1/sessions");
    const session = sessions.find((candidate) => String(candidate.id) === sessionID);
    if (session) {
      $("desktop-name").textContent = `${session.pool} · ${session.vm}`;
    }
  } catch {
    // The status bar tells what matters.
  }
}

$("reconnect").addEventListener("click", connect);
$("disconnect").addEventListener("click", () => {
  attempt += 1; // the sockets' close events belong to no attempt now
  settled = true;
  stopConnection();
  show("disconnected");
});
$("ctrl-alt-del").addEventListener("click", () => connection && sendCtrlAltDel(connection));
window.addEventListener("pagehide", () => {
  attempt += 1;
  stopConnection();
});

if (sessionID && storedToken()) nameDesktop();
connect();
