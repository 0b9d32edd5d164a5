// Saffron's JSON API as the pages call it: the bearer token kept in sessionStorage, errors turned into ApiError
// carrying the server's `error.message`, so every page can show people what went wrong in the server's words.

const TOKEN_KEY = "saffron.token";

/** The bearer token of this tab's sign-in, or null. */
export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A failed call: `status` is the HTTP status (0 when the server could not be reached), `code` the API's error code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }

  /** The sign-in is gone (expired, revoked, never made): the page should ask for a new one. */
  get signedOut() {
    return this.status === 401;
  }
}

/**
 * Calls `method path` with the stored token (unless `auth` is false) and a JSON `body`.
 * Resolves with the raw Response for `raw` (asking for `accept`, e.g. an image), the parsed JSON otherwise (null for 204).
 */
export async function call(method, path, { body, auth = true, raw = false, accept = "application/json" } = {}) {
  const headers = { Accept: accept };
  if (auth) {
    const token = storedToken();
    if (!token) throw new ApiError(401, "not_signed_in", "Please sign in.");
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiError(0, "unreachable", "The Saffron server cannot be reached. Check your network and try again.");
  }
  if (!response.ok) throw await errorFrom(response);
  if (raw) return response;
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function errorFrom(response) {
  let code = `http_${response.status}`;
  let message = response.status === 401
    ? "Your sign-in has expired. Please sign in again."
    : `The server answered ${response.status} ${response.statusText}.`.replace(" .", ".");
  try {
    const error = (await response.json()).error;
    if (error && typeof error.message === "string") {
      message = error.message;
      code = error.code ?? code;
    }
  } catch {
    // Not the API's error shape: keep the generic message.
  }
  return new ApiError(response.status, code, message);
}

/** The session id as a path segment. */
export function sessionPath(id) {
  return `/api/v1/sessions/${encodeURIComponent(id)}`;
}
