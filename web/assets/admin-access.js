// The admin page's groups and access: the groups with their members (Remove, Delete group), and forms to create a
// group, add a user to one, and grant a pool to everyone, a user or a group (or withdraw it). The forms are static
// HTML, so the five-second refresh never wipes what an admin is typing; only the lists and the choices refresh.

import { element } from "./admin-dom.js";

const $ = (id) => document.getElementById(id);
const path = (...parts) => parts.map(encodeURIComponent).join("/");

/** Replaces a select's options, keeping the chosen one when it is still offered. */
function fill(select, options) {
  const chosen = select.value;
  select.replaceChildren(...options.map(([value, label]) => {
    const option = element("option", null, label);
    option.value = value;
    return option;
  }));
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}

/** Renders the groups and the forms' choices from GET /api/v1/admin/users, /groups and /pools; `canChange` adds the
 * Remove and Delete group buttons (auditors see the lists only). */
export function renderAccess({ users, groups, pools }, canChange, act) {
  const list = $("groups");
  list.replaceChildren();
  if (groups.length === 0) list.append(element("li", "empty", "No groups yet."));
  for (const group of groups) {
    const item = element("li");
    item.dataset.group = group.name;
    item.append(element("strong", null, group.name), `: ${group.members.length ? "" : "no members"}`);
    for (const member of group.members) {
      const chip = element("span", "chip", member);
      item.append(chip);
      if (!canChange) continue;
      const remove = element("button", "link", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", `Take ${member} out of ${group.name}`);
      remove.addEventListener("click", () =>
        act("DELETE", `/api/v1/admin/groups/${path(group.name, "members", member)}`, `${member} left ${group.name}.`));
      chip.append(remove);
    }
    list.append(item);
    if (!canChange) continue;
    const remove = element("button", "secondary small", "Delete group");
    remove.type = "button";
    remove.addEventListener("click", () =>
      act("DELETE", `/api/v1/admin/groups/${path(group.name)}`, `Deleted group ${group.name}.`));
    item.append(remove);
  }
  fill($("member-user"), users.map((user) => [user.name, user.name]));
  fill($("member-group"), groups.map((group) => [group.name, group.name]));
  fill($("grant-pool"), pools.map((pool) => [pool.name, pool.name]));
  fill($("grant-to"), [["everyone", "everyone"]]
    .concat(groups.map((group) => [`groups/${group.name}`, `group ${group.name}`]))
    .concat(users.map((user) => [`users/${user.name}`, `user ${user.name}`])));
}

/** Wires the forms; `act(method, path, done, body)` calls the API, says `done`, and refreshes the page. */
export function setupAccess(act) {
  $("group-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("group-name").value.trim();
    act("POST", "/api/v1/admin/groups", `Created group ${name}.`, { name }).then((ok) => {
      if (ok) $("group-name").value = "";
    });
  });
  $("member-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const [user, group] = [$("member-user").value, $("member-group").value];
    act("PUT", `/api/v1/admin/groups/${path(group, "members", user)}`, `${user} joined ${group}.`);
  });
  const grantPath = () => {
    const to = $("grant-to").value.split("/");
    return `/api/v1/admin/pools/${path($("grant-pool").value, "grants", ...to)}`;
  };
  const who = () => $("grant-to").selectedOptions[0]?.textContent ?? "";
  $("grant-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act("PUT", grantPath(), `Pool ${$("grant-pool").value} is granted to ${who()}.`);
  });
  $("revoke").addEventListener("click", () =>
    act("DELETE", grantPath(), `Pool ${$("grant-pool").value} is no longer granted to ${who()}.`));
}
