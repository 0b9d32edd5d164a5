// Small DOM helpers the admin page's modules share. Text always goes in as text, never as HTML.

/** An element with a class and text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** A table cell labelled `label` (phones show the label beside the value). */
export function cell(label, content, className) {
  const node = element("td", className);
  node.dataset.label = label;
  if (content instanceof Node) node.append(content);
  else node.textContent = content ?? "—";
  return node;
}

/** `<time>` for an ISO date: the local time (and date unless today) and how long ago. */
export function since(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return element("span", null, iso ?? "—");
  const today = date.toDateString() === new Date().toDateString();
  const clock = today
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  const node = element("time", null, `${clock} (${ago(date)})`);
  node.dateTime = date.toISOString();
  node.title = date.toLocaleString();
  return node;
}

function ago(date) {
  const minutes = Math.max(0, Math.floor((Date.now() - date.getTime()) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? "1 day ago" : `${days} days ago`;
}
