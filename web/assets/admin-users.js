// The admin page's users: each user with their role, how they sign in, their groups and since when; for admins a role
// choice and Delete (asked twice) per user, and a form to add a local user. Auditors see the table only.

import { cell, element, since } from "./admin-dom.js";

const $ = (id) => document.getElementById(id);
const ROLES = [["user", "user"], ["auditor", "auditor (reads, changes nothing)"], ["admin", "admin"]];
let pendingDelete = null; // the user whose Delete awaits confirmation

const roleOf = (user) => (user.admin ? "admin" : user.auditor ? "auditor" : "user");
const userPath = (name) => `/api/v1/admin/users/${encodeURIComponent(name)}`;

/** The role change as PATCH /api/v1/admin/users/{user} takes it. */
function roleChange(role) {
  return { admin: role === "admin", auditor: role === "auditor" };
}

/**
 * Fills the users table from GET /api/v1/admin/users and /groups; `canChange` adds the admins' controls, which call
 * `act(method, path, done, body)` or ask for `rerender()`.
 */
export function renderUsers({ users, groups }, canChange, { act, rerender }) {
  const body = $("users").tBodies[0];
  body.replaceChildren();
  $("user-count").textContent = `(${users.length})`;
  if (pendingDelete !== null && !users.some((user) => user.name === pendingDelete)) pendingDelete = null;
  for (const user of users) {
    const tr = element("tr");
    tr.dataset.user = user.name;
    const name = element("th", null, user.name);
    name.scope = "row";
    name.dataset.label = "User";
    const memberOf = groups.filter((group) => group.members.includes(user.name)).map((group) => group.name);
    tr.append(
      name,
      cell("Role", canChange ? roleSelect(user, act) : element("span", `badge role-${roleOf(user)}`, roleOf(user))),
      cell("Signs in with", user.local ? "local password" : "host or directory account"),
      cell("Groups", memberOf.length ? memberOf.join(", ") : null),
      cell("Since", since(user.createdAt)),
      cell("Actions", canChange ? deleteControls(user, act, rerender) : null),
    );
    body.append(tr);
  }
}

function roleSelect(user, act) {
  const select = element("select");
  select.dataset.key = `role:${user.name}`;
  select.setAttribute("aria-label", `Role of ${user.name}`);
  for (const [value, label] of ROLES) {
    const option = element("option", null, label);
    option.value = value;
    select.append(option);
  }
  select.value = roleOf(user);
  select.addEventListener("change", () =>
    act("PATCH", userPath(user.name), `${user.name} is now ${select.value === "user" ? "a user" : `an ${select.value}`}.`,
      roleChange(select.value)));
  return select;
}

function deleteControls(user, act, rerender) {
  const box = element("div", "row-actions");
  if (pendingDelete !== user.name) {
    const remove = element("button", "danger", "Delete");
    remove.type = "button";
    remove.dataset.key = `delete-user:${user.name}`;
    remove.setAttribute("aria-label", `Delete user ${user.name}`);
    remove.addEventListener("click", () => {
      pendingDelete = user.name;
      rerender();
    });
    box.append(remove);
    return box;
  }
  const question = element("span", "confirm-question", `Delete ${user.name}?`);
  const confirm = element("button", "danger-solid", "Delete user");
  confirm.type = "button";
  confirm.dataset.key = `confirm-delete-user:${user.name}`;
  confirm.addEventListener("click", () => {
    pendingDelete = null;
    act("DELETE", userPath(user.name), `Deleted user ${user.name}.`);
  });
  const keep = element("button", "secondary", "Keep");
  keep.type = "button";
  keep.addEventListener("click", () => {
    pendingDelete = null;
    rerender();
  });
  box.append(question, confirm, keep);
  return box;
}

/** What decides whether the users table must be drawn again (the pending Delete). */
export function usersSignature() {
  return pendingDelete;
}

/** Wires the add-user form; `act(method, path, done, body)` calls the API, says `done`, and refreshes the page. */
export function setupUsers(act) {
  $("user-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("new-user-name").value.trim();
    const password = $("new-user-password").value;
    const role = $("new-user-role").value;
    act("POST", "/api/v1/admin/users", `Added ${role} ${name}.`, { name, password, ...roleChange(role) }).then((ok) => {
      if (ok) {
        $("new-user-name").value = "";
        $("new-user-password").value = "";
      }
    });
  });
}
