// The admin page's audit log table: the latest logins, handouts, session ends and admin changes, newest first.

import { cell, element, since } from "./admin-dom.js";

/** Words for the API's action codes. */
const ACTIONS = {
  login: "signed in",
  login_failed: "sign-in failed",
  handout: "got a desktop",
  session_end: "session ended",
  user_add: "user added",
  user_update: "user changed",
  user_remove: "user deleted",
  pool_create: "pool created",
  pool_update: "pool changed",
  pool_remove: "pool deleted",
  vm_add: "VM added",
  vm_remove: "VM removed",
  vm_repair: "VM repaired",
  vm_unassign: "VM unassigned",
  pool_grant: "pool granted",
  pool_revoke: "pool withdrawn",
  group_create: "group created",
  group_delete: "group deleted",
  group_update: "group changed",
  firewall_reconcile: "firewall checked",
  console_open: "opened a user's console",
};

/** Fills `body` (the audit table's tbody) with `events` as GET /api/v1/admin/audit returns them. */
export function renderAudit(body, events) {
  body.replaceChildren();
  if (events.length === 0) {
    const row = element("tr", "empty");
    const td = element("td", "empty", "Nothing recorded yet.");
    td.colSpan = 6;
    row.append(td);
    body.append(row);
    return;
  }
  for (const event of events) {
    const tr = element("tr", event.succeeded ? null : "failed");
    tr.dataset.audit = String(event.id);
    tr.dataset.action = event.action;
    const result = element("span", event.succeeded ? "badge ok" : "badge broken", ACTIONS[event.action] ?? event.action);
    tr.append(
      cell("When", since(event.at)),
      cell("Who", event.actor),
      cell("What", result),
      cell("About", event.subject, "mono"),
      cell("From", event.clientAddress, "mono"),
      cell("Detail", event.detail, "detail"),
    );
    body.append(tr);
  }
}
