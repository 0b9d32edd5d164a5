// Live thumbnails of running desktops in the admin page's pools table. A running VM's Screen cell holds an <img> of
// GET /api/v1/admin/pools/{pool}/vms/{vm}/screenshot; an <img src> cannot send the bearer token, so each thumbnail is
// fetched as a blob and shown through an object URL (the previous one revoked). `refreshThumbnails` runs on the page's
// refresh and swaps the images in place: the table is not re-rendered, so the focus stays where it is. A VM that is
// not running shows "not running" instead; one whose state the hypervisor did not tell shows "—".

import { ApiError, call } from "./api.js";
import { element } from "./admin-dom.js";

const PARALLEL = 4; // screenshots asked for at once; each one costs the hypervisor a screen dump
const shown = new Map(); // "pool/vm" -> the object URL on screen
const loading = new Set(); // keys whose thumbnail is being fetched

function key(pool, vm) {
  return `${pool}/${vm}`;
}

function screenshotPath(pool, vm) {
  return `/api/v1/admin/pools/${encodeURIComponent(pool)}/vms/${encodeURIComponent(vm)}/screenshot`;
}

/** The content of a VM's Screen cell: its thumbnail (the latest one fetched, if any), or why there is none. */
export function thumbnailCell(pool, vm) {
  if (vm.running === false) return element("span", "no-screen", "not running");
  if (vm.running !== true) return "—";
  const image = element("img", "thumb");
  image.alt = `Screen of ${vm.name}`;
  image.dataset.pool = pool.name;
  image.dataset.vm = vm.name;
  image.decoding = "async";
  const url = shown.get(key(pool.name, vm.name));
  if (url) image.src = url;
  return image;
}

/** Fetches a new thumbnail for every one in the pools table and shows it in place; forgets VMs no longer listed. */
export async function refreshThumbnails() {
  const images = [...document.querySelectorAll("#pools img.thumb")];
  const listed = new Set(images.map((image) => key(image.dataset.pool, image.dataset.vm)));
  for (const [name, url] of shown) {
    if (!listed.has(name)) {
      URL.revokeObjectURL(url);
      shown.delete(name);
    }
  }
  const queue = images.filter((image) => !loading.has(key(image.dataset.pool, image.dataset.vm)));
  const worker = async () => {
    for (let image = queue.shift(); image; image = queue.shift()) await load(image.dataset.pool, image.dataset.vm);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
}

/** One VM's thumbnail, into every <img> showing it (a re-render may have replaced the one asked for). */
async function load(pool, vm) {
  const name = key(pool, vm);
  loading.add(name);
  try {
    const response = await call("GET", screenshotPath(pool, vm), { raw: true, accept: "image/png" });
    const url = URL.createObjectURL(await response.blob());
    const old = shown.get(name);
    shown.set(name, url);
    for (const image of imagesOf(pool, vm)) {
      image.src = url;
      delete image.dataset.error;
      image.title = `${vm} at ${new Date().toLocaleTimeString()}`;
    }
    if (old) URL.revokeObjectURL(old);
  } catch (error) {
    // The pools refresh says what changed (stopped: "not running"; signed out: the gate); the image keeps its last
    // picture and says why it is not newer.
    const why = error instanceof ApiError ? error.message : String(error);
    for (const image of imagesOf(pool, vm)) {
      image.dataset.error = error instanceof ApiError ? error.code : "failed";
      image.title = `No new picture of ${vm}: ${why}`;
    }
  } finally {
    loading.delete(name);
  }
}

function imagesOf(pool, vm) {
  return [...document.querySelectorAll("#pools img.thumb")]
    .filter((image) => image.dataset.pool === pool && image.dataset.vm === vm);
}
