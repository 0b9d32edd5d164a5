// Send to phone: `phone.html?session=ID` asks the broker for a short-lived, single-use link to the session's .vv
// file (the aSpice profile) and shows it as a QR code for the phone's camera, as text, and with a countdown.
// `#status` carries `data-state` (loading, ready, expired, signed-out, not-found, no-session, failed) for the tests.

import { ApiError, call, sessionPath, storedToken } from "./api.js";
import { drawQR } from "./qr.js";

const $ = (id) => document.getElementById(id);
const session = new URLSearchParams(window.location.search).get("session");
let deadline = 0; // performance.now() when the current link expires
let ticker = null;

function setState(state, text) {
  $("status").dataset.state = state;
  $("status").textContent = text;
  const needsSignIn = state === "signed-out";
  $("sign-in").hidden = !needsSignIn;
  $("new-code").hidden = needsSignIn || state === "no-session" || state === "not-found";
  // A spent or unknown link is not left on screen for someone to scan.
  $("phone-link").hidden = state !== "ready";
}

/** Asks for a fresh link and shows it; every failure becomes a state that says what to do. */
async function newCode() {
  stopTicker();
  $("new-code").disabled = true;
  setState("loading", "Making a code…");
  try {
    const response = await call("POST", `${sessionPath(session)}/phone-link`, { raw: true });
    const link = await response.json();
    show(link, response.headers.get("Date"));
  } catch (error) {
    fail(error);
  } finally {
    $("new-code").disabled = false;
  }
}

function show({ url, expiresAt }, serverDate) {
  drawQR($("qr"), url, { scale: 8, margin: 4 });
  $("qr").setAttribute("aria-label", `QR code of the link ${url}`);
  $("phone-url").textContent = url;
  const expires = new Date(expiresAt);
  $("countdown").dateTime = expires.toISOString();
  $("countdown").title = expires.toLocaleTimeString();
  // Count down from the server's own clock (its Date header) so a wrong clock on this computer does not matter.
  const now = Date.parse(serverDate ?? "");
  const remaining = expires.getTime() - (Number.isNaN(now) ? Date.now() : now);
  deadline = performance.now() + remaining;
  setState("ready", "Scan the code with your phone before it expires.");
  tick();
  ticker = setInterval(tick, 500);
}

function tick() {
  const seconds = Math.ceil((deadline - performance.now()) / 1000);
  if (seconds <= 0) {
    stopTicker();
    setState("expired", "This code has expired. Press New code to get another.");
    return;
  }
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  if ($("countdown").textContent !== text) $("countdown").textContent = text;
}

function stopTicker() {
  clearInterval(ticker);
  ticker = null;
}

function fail(error) {
  if (!(error instanceof ApiError)) {
    setState("failed", `Something went wrong: ${error.message ?? error}`);
  } else if (error.signedOut) {
    setState("signed-out", "Please sign in first, then choose Send to phone on your desktop again.");
  } else if (error.status === 404) {
    setState("not-found", `This desktop was not found: it may have ended. (${error.message})`);
  } else {
    setState("failed", error.message);
  }
}

/** The desktop's name above the code, when the session list has it; the page works without it. */
async function showDesktopName() {
  try {
    const { sessions = [] } = await call("GET", "/api/v1/sessions");
    const mine = sessions.find((s) => String(s.id) === session);
    if (mine) $("desktop-name").textContent = `${mine.pool} · ${mine.vm}`;
  } catch {
    // The link request reports what matters.
  }
}

$("new-code").addEventListener("click", newCode);
if (!session) {
  setState("no-session", "No desktop was chosen. Open this page from Send to phone on one of your desktops.");
} else if (!storedToken()) {
  setState("signed-out", "Please sign in first, then choose Send to phone on your desktop again.");
} else {
  showDesktopName();
  newCode();
}
