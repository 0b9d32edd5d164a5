#!/usr/bin/env bash
# Brings up a demo broker on this host: a template pool "demo" of small Linux desktops (Debian 12 with Xorg, IceWM, a
# terminal and spice-vdagent, from deploy/desktop-image; qcow2 overlays of its image, up to five, one kept booted as a
# spare, each thrown away after use) the broker makes itself, user "demo", the broker on 127.0.0.1:8080 forwarding
# public ports 20000-20009 on 127.0.0.1 with iptables. Prints how to get a desktop and what to try.
# Run as root on Debian 12 with Swift. State lives in ./demo-state (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it installs packages, starts libvirtd and adds iptables rules)" >&2; exit 1; }

say "1/5 preparing the host (packages, libvirtd)"
./deploy/prepare-host.sh

say "2/5 building saffron (the first build takes a few minutes)"
swift build --product saffron 2>&1 | grep -E '^(error|warning: unre|Build complete)|: error:' || true
bin="$(swift build --show-bin-path)/saffron"
[ -x "$bin" ] || { echo "demo: build failed; run 'swift build' to see why" >&2; exit 1; }

say "3/5 building the desktop image (Debian 12 with a small X desktop; the first build takes a few minutes)"
image_dir=$(./deploy/desktop-image/build.sh)
images=/var/lib/saffron/demo-images
if ! virsh -c qemu:///system pool-info saffron-demo >/dev/null 2>&1; then
  mkdir -p "$images"
  virsh -c qemu:///system pool-define-as saffron-demo dir --target "$images" >/dev/null
  virsh -c qemu:///system pool-autostart saffron-demo >/dev/null
fi
# Read the state whole first: `grep -q` quitting early would make virsh die of SIGPIPE, and pipefail take that as
# "not running".
pool_state=$(virsh -c qemu:///system pool-info saffron-demo)
grep -q 'State: *running' <<<"$pool_state" || virsh -c qemu:///system pool-start saffron-demo >/dev/null
# The base image is named after the image's recipe, so a changed recipe gives a new base beside the old one.
base="$images/desktop-$(basename "$image_dir").qcow2"
if [ ! -f "$base" ]; then
  cp "$image_dir/desktop.qcow2" "$base.part" && mv "$base.part" "$base"
  virsh -c qemu:///system pool-refresh saffron-demo >/dev/null
fi
mkdir -p "$PWD/demo-state"
template="$PWD/demo-state/template.xml"
sed -e 's|<name>saffron-desktop</name>|<name>saffron-demo</name>|' "$image_dir/template.xml" >"$template"

state="$PWD/demo-state"
config="$state/saffron.json"
mkdir -p "$state"
if [ ! -f "$config" ]; then
  say "4/5 creating config, database, user demo and pool demo in $state"
  cat >"$config" <<JSON
{
  "http": { "listen": "127.0.0.1:8080" },
  "web": { "root": "$PWD/web", "spiceHTML5": "/usr/share/spice-html5" },
  "gateway": { "publicAddress": "127.0.0.1", "portRange": "20000-20009" },
  "proxy": { "listen": "127.0.0.1:8082" },
  "firewall": { "backend": "iptables", "chain": "SAFFRON", "masquerade": false },
  "database": { "path": "saffron.sqlite" },
  "tickets": { "validitySeconds": 60 },
  "auth": { "tokenLifetimeSeconds": 28800, "bcryptCost": 10 }
}
JSON
  "$bin" init --config "$config"
  printf 'demo\n' | "$bin" user add demo --config "$config"
  "$bin" pool create demo --connect qemu:///system --template "$template" \
    --base-image "$base" --storage-pool saffron-demo --max-vms 5 --desktops volatile \
    --spares 1 --config "$config"
  echo "$base" >"$state/base-image"
else
  say "4/5 reusing $state"
  if [ "$(cat "$state/base-image" 2>/dev/null)" != "$base" ]; then
    say "note: pool demo was made from an older image; delete $state (and stop its VMs) to start over with this one"
  fi
fi

say "5/5 starting the broker on http://127.0.0.1:8080 (Ctrl-C stops it; sessions and rules survive a restart)"
cat <<'TXT'

  In a browser on this host: http://127.0.0.1:8080/ (user demo, password demo), then Connect in browser.
  The desktop is logged in as "user" with a terminal open; it boots in about half a minute the first time (one is
  kept booted as a spare, so the next user's comes at once).

  Or with remote-viewer (in another terminal):
    TOKEN=$(curl -s -X POST http://127.0.0.1:8080/api/v1/login -d '{"username":"demo","password":"demo"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
    curl -s -X POST -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/pools/demo/desktop
    curl -s -H "Authorization: Bearer $TOKEN" -o desktop.vv http://127.0.0.1:8080/api/v1/sessions/SESSION_ID/console.vv
    remote-viewer desktop.vv        # within 60 s: the ticket inside is one-time and short-lived
  The same through the CONNECT proxy on 127.0.0.1:8082 instead of the session's own port: console.vv?via=proxy

  Things to try:
    - type in the terminal (echo hello > note; ls); right-click the blue desktop for IceWM's menu;
    - resize remote-viewer's window: the desktop follows it (spice-vdagent);
    - end the session (End in the portal, or the line below), get a desktop again: the pool is volatile, so the
      next desktop comes up fresh and note is gone.
    curl -s -X DELETE -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/sessions/SESSION_ID
  See the pool (as root, in another terminal): .build/debug/saffron pool vms demo --config demo-state/saffron.json

TXT
exec "$bin" serve --config "$config"
