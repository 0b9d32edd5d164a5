// The portal's password change: the Password button opens a small form (current password, new one twice); a change
// ends every sign-in of the user, so the portal then asks them to sign in with the new password.

import { ApiError, call } from "./api.js";

const $ = (id) => document.getElementById(id);

/** Wires the Password button and form; `changed()` runs after a successful change (the sign-in is gone). */
export function setupPasswordChange({ changed, showError }) {
  const form = $("password-form");
  const open = (shown) => {
    $("password-view").hidden = !shown;
    $("change-password").setAttribute("aria-expanded", String(shown));
    form.reset();
    if (shown) $("current-password").focus();
  };
  $("change-password").addEventListener("click", () => open($("password-view").hidden));
  $("cancel-password").addEventListener("click", () => open(false));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [current, fresh, again] = [$("current-password").value, $("new-password").value, $("again-password").value];
    if (fresh !== again) return showError("The new passwords differ; type the same one twice.");
    $("save-password").disabled = true;
    try {
      await call("PUT", "/api/v1/me/password", { body: { current, new: fresh } });
      open(false);
      changed();
    } catch (error) {
      showError(error instanceof ApiError ? error.message : `Something went wrong: ${error.message ?? error}`);
      $("current-password").select();
    } finally {
      $("save-password").disabled = false;
    }
  });
}
