#!/usr/bin/env bash
# Prepares a Debian 12 host (a container-like one without systemd too) for Saffron and its end-to-end tests:
# installs libvirt, QEMU/KVM (with qemu-img for template pools' overlays), the viewer tools, PostgreSQL (for the
# store tests' throwaway cluster) and what builds and checks the desktop image (mmdebstrap, xdotool, tesseract), then starts
# virtlogd and libvirtd and waits until they answer.
# Idempotent: a second run installs nothing, starts nothing and takes well under a second.
set -euo pipefail

say() { echo "prepare-host: $*"; }

packages=(
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libxml2-utils qemu-system-x86 qemu-utils libvirt-dev pkg-config zlib1g-dev
  libspice-server-dev libpam0g-dev libldap-dev slapd ldap-utils iptables nftables libnftables-dev iproute2 conntrack procps passwd
  virt-viewer xvfb x11-apps x11-utils imagemagick fonts-dejavu-core
  curl openssl python3 python3-cryptography python3-websocket python3-venv spice-html5
  chromium chromium-driver python3-selenium zbar-tools websockify postgresql-15
  mmdebstrap xdotool tesseract-ocr tesseract-ocr-eng
)

# 1. Packages, only those missing (one dpkg-query for all, one apt-get update at most).
missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. What the libvirt-daemon-system package and udev would set up on a host with systemd.
getent group kvm >/dev/null || { say "adding group kvm"; groupadd --system kvm; }
getent group libvirt-qemu >/dev/null || { say "adding group libvirt-qemu"; groupadd --system libvirt-qemu; }
if ! getent passwd libvirt-qemu >/dev/null; then
  say "adding user libvirt-qemu"
  useradd --system --gid kvm --groups libvirt-qemu --home-dir /var/lib/libvirt --no-create-home \
    --shell /usr/sbin/nologin libvirt-qemu
fi
mkdir -p /var/log/libvirt/qemu /var/run/libvirt /var/lib/libvirt/qemu /var/cache/libvirt

# 3. KVM for QEMU running as libvirt-qemu: udev's rule (root:kvm 0660) when /dev/kvm exists; if the node cannot be
#    given to group kvm, QEMU runs as root instead (the only qemu.conf change, made only in that case).
qemu_conf=/etc/libvirt/qemu.conf
conf_changed=no
# Debian ships qemu.conf in libvirt-daemon-system (not installed: it expects systemd); without it QEMU's built-in
# defaults apply, so an empty one starts the same and takes the lines below.
[ -e "$qemu_conf" ] || { say "creating an empty $qemu_conf"; mkdir -p /etc/libvirt; : >"$qemu_conf"; }
if [ -e /dev/kvm ]; then
  if [ "$(stat -c %G:%a /dev/kvm)" != kvm:660 ]; then
    say "giving /dev/kvm to group kvm (mode 0660)"
    chgrp kvm /dev/kvm 2>/dev/null || true
    chmod 0660 /dev/kvm 2>/dev/null || true
  fi
  if ! runuser -u libvirt-qemu -- sh -c 'test -r /dev/kvm && test -w /dev/kvm' 2>/dev/null \
    && ! grep -q '^user = "root"' "$qemu_conf"; then
    say "libvirt-qemu cannot open /dev/kvm: QEMU will run as root ($qemu_conf)"
    printf '\n# Added by Saffron deploy/prepare-host.sh: /dev/kvm is not usable by libvirt-qemu here.\nuser = "root"\ngroup = "root"\n' >>"$qemu_conf"
    conf_changed=yes
  fi
else
  say "no /dev/kvm: test domains will use type 'qemu' (software emulation)"
fi

# 4. SPICE TLS, when SAFFRON_SPICE_TLS_DIR names a folder made by `saffron tls init`: QEMU's SPICE servers then offer
#    TLS with its server certificate (qemu.conf's spice_tls, in a block of our own, rewritten only when it changes).
if [ -n "${SAFFRON_SPICE_TLS_DIR:-}" ]; then
  tls_dir=$SAFFRON_SPICE_TLS_DIR
  for file in ca-cert.pem server-cert.pem server-key.pem; do
    [ -r "$tls_dir/$file" ] || { say "SAFFRON_SPICE_TLS_DIR: no $tls_dir/$file (make it with saffron tls init)"; exit 1; }
  done
  chgrp libvirt-qemu "$tls_dir/server-key.pem"
  chmod 0640 "$tls_dir/server-key.pem"
  want=$(printf 'spice_tls = 1\nspice_tls_x509_cert_dir = "%s"' "$tls_dir")
  have=$(sed -n '/^# Saffron SPICE TLS begin/,/^# Saffron SPICE TLS end/p' "$qemu_conf" | sed '1d;$d')
  if [ "$have" != "$want" ]; then
    say "SPICE TLS with the certificates in $tls_dir ($qemu_conf)"
    sed -i '/^# Saffron SPICE TLS begin/,/^# Saffron SPICE TLS end/d' "$qemu_conf"
    printf '# Saffron SPICE TLS begin\n%s\n# Saffron SPICE TLS end\n' "$want" >>"$qemu_conf"
    conf_changed=yes
  fi
fi

# 5. Daemons, daemonised (no systemd). libvirtd's cgroup errors in its log are harmless here.
if ! pgrep -x virtlogd >/dev/null; then
  say "starting virtlogd"
  virtlogd -d
fi
if [ "$conf_changed" = yes ] && pgrep -x libvirtd >/dev/null; then
  pid=$(cat /var/run/libvirtd.pid)
  say "restarting libvirtd (pid $pid) to read $qemu_conf"
  kill -TERM "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
if ! pgrep -x libvirtd >/dev/null; then
  say "starting libvirtd"
  libvirtd -d
fi

# 6. Wait (bounded) until the system connection answers.
for _ in $(seq 1 100); do
  if virsh -c qemu:///system list >/dev/null 2>&1; then
    say "libvirt ready"
    exit 0
  fi
  sleep 0.2
done
say "libvirtd did not answer on qemu:///system within 20 s; see /var/log/libvirt/libvirtd.log" >&2
exit 1
