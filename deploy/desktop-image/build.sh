#!/usr/bin/env bash
# Builds the demo's and the tests' desktop image from Debian 12's packages: a small Debian system with Xorg on the QXL
# driver, IceWM, an xterm and spice-vdagent, logged in on its own as the unprivileged user "user". Prints the folder
# that holds it:
#   desktop.qcow2   the root file system (ext4, no partition table), the base image of a template pool's overlays
#   vmlinuz, initrd.img   the kernel and initramfs, booted directly by the domain (<kernel>, <initrd>)
#   template.xml    a domain template that boots it: 384 MiB, QXL, SPICE with the agent channel, USB tablet
# The result is cached under CACHE (default /var/cache/saffron/desktop-image) by a hash of this folder's files, so a
# second run with the same recipe prints the same folder at once. Packages come from the host's apt sources.
#
# Usage: deploy/desktop-image/build.sh [--cache DIR] [--quiet]
# Run as root on Debian 12 (it installs mmdebstrap if missing).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache=/var/cache/saffron/desktop-image
quiet=no
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache="${2:?--cache needs a folder}"; shift 2 ;;
    --quiet) quiet=yes; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "desktop-image: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
say() { [ "$quiet" = yes ] || echo "desktop-image: $*" >&2; }
[ "$(id -u)" = 0 ] || { echo "desktop-image: run as root (it builds a root file system)" >&2; exit 1; }

# The recipe's hash: every file of this folder, by path and content.
recipe=$(cd "$here" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
out="$cache/$recipe"
# Whether KVM here runs this kernel at speed: some nested hosts offer /dev/kvm yet take minutes to get a Linux kernel
# past its first line, while software emulation (TCG) boots the desktop in about half a minute. Asked once per image.
kvm_boots_kernel() {
  [ -e /dev/kvm ] || return 1
  timeout 15 qemu-system-x86_64 -accel kvm -m 128 -nodefaults -display none -no-reboot -serial stdio \
    -kernel "$out/vmlinuz" -append 'console=ttyS0 panic=-1' 2>/dev/null | grep -q -m1 'Linux version'
}
# The template names the domain type that works here (SAFFRON_DESKTOP_DOMAIN_TYPE=kvm|qemu chooses), so it is
# written anew each run; TCG's translation cache is kept to 128 MiB a desktop.
finish() {
  local domain_type=${SAFFRON_DESKTOP_DOMAIN_TYPE:-}
  if [ -z "$domain_type" ]; then
    [ -f "$out/domain-type" ] || { if kvm_boots_kernel; then echo kvm; else echo qemu; fi >"$out/domain-type"; }
    domain_type=$(cat "$out/domain-type")
  fi
  local tcg=''
  [ "$domain_type" = qemu ] && tcg="<tcg><tb-cache unit='MiB'>128</tb-cache></tcg>"
  sed -e "s|@IMAGE@|$out|g" -e "s|@TYPE@|$domain_type|g" -e "s|@TCG@|$tcg|g" "$here/template.xml.in" >"$out/template.xml"
  echo "$out"
  exit 0
}
if [ -f "$out/ready" ]; then finish; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -f "$out/ready" ]; then finish; fi

for tool in mmdebstrap mkfs.ext4 qemu-img; do
  command -v "$tool" >/dev/null || missing_tools=yes
done
if [ "${missing_tools:-}" = yes ]; then
  say "installing mmdebstrap, e2fsprogs and qemu-utils"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap e2fsprogs qemu-utils >/dev/null \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap e2fsprogs qemu-utils >/dev/null; }
fi

work=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
started=$(date +%s)

# 1. Debian's packages into a folder. Left out: documentation, manuals, translations, and Mesa's OpenGL
#    drivers with the LLVM they need (Xorg's QXL driver draws without OpenGL; X starts without GLX acceleration).
packages=(
  linux-image-amd64 initramfs-tools kmod udev systemd-sysv dbus
  xserver-xorg-core xserver-xorg-legacy xserver-xorg-video-qxl xserver-xorg-input-libinput xinit x11-xserver-utils x11-utils
  icewm xterm fonts-dejavu-core spice-vdagent
)
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || sources=/etc/apt/sources.list
say "1/4 installing $(IFS=,; echo "${packages[*]}" | tr ',' ' ') (about two minutes)"
mmdebstrap --variant=minbase --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/dri/*' --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libLLVM*' \
  --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libz3.so*' \
  --include="$(IFS=,; echo "${packages[*]}")" \
  bookworm "$root" "$sources" >"$work/mmdebstrap.log" 2>&1 \
  || { tail -20 "$work/mmdebstrap.log" >&2; echo "desktop-image: mmdebstrap failed (log above)" >&2; exit 1; }

# 2. The system's own files (files/ mirrors the image's tree), the user, the services.
say "2/4 configuring the desktop (user \"user\", session on tty7, vdagent)"
cp -a "$here/files/." "$root/"
chroot "$root" useradd --create-home --shell /bin/bash --user-group user
chroot "$root" chown -R user:user /home/user
echo desktop >"$root/etc/hostname"
printf '127.0.1.1\tdesktop\n' >>"$root/etc/hosts"
chroot "$root" systemctl set-default graphical.target >/dev/null
chroot "$root" systemctl enable desktop-session.service >/dev/null 2>&1
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
  systemd-timesyncd.service >/dev/null 2>&1 || true

# 3. Only the kernel modules a desktop VM loads (the rest is most of the image), then the initramfs again.
say "3/4 trimming kernel modules and making the initramfs"
kernel=$(basename "$(ls -d "$root"/lib/modules/*)")
wanted=(virtio_pci virtio_blk virtio_console virtio_input virtio_balloon virtio_rng qxl ext4 crc32c_generic
  usbhid hid_generic uhci_hcd ehci_pci xhci_pci evdev psmouse serio_raw button uinput)
keep="$work/keep"
chroot "$root" modprobe --set-version "$kernel" --show-depends --all "${wanted[@]}" \
  | awk '$1 == "insmod" { n = split($2, p, "/"); print p[n] }' | sort -u >"$keep"
find "$root/lib/modules/$kernel/kernel" -name '*.ko' -printf '%f\t%p\n' \
  | while IFS=$'\t' read -r name path; do grep -qxF "$name" "$keep" || rm -f "$path"; done
find "$root/lib/modules/$kernel/kernel" -type d -empty -delete
chroot "$root" depmod "$kernel"
chroot "$root" update-initramfs -u -k "$kernel" >/dev/null 2>&1
cp "$root/boot/vmlinuz-$kernel" "$work/vmlinuz"
cp "$root/boot/initrd.img-$kernel" "$work/initrd.img"
rm -rf "$root/var/cache/apt/"* "$root/var/lib/apt/lists/"* "$root/boot/initrd.img-"* "$root/boot/System.map-"*

# 4. An ext4 file system made from the folder (no loop mount), 2 GiB of which the desktops may fill, as compressed
#    qcow2 (each desktop's overlay holds only what it writes).
say "4/4 making the disk image"
mkfs.ext4 -q -L desktop -d "$root" "$work/desktop.raw" 2G >/dev/null
qemu-img convert -c -f raw -O qcow2 "$work/desktop.raw" "$work/desktop.qcow2"
rm -f "$work/desktop.raw"

mkdir -p "$out"
mv "$work/desktop.qcow2" "$work/vmlinuz" "$work/initrd.img" "$out/"
chmod 0644 "$out"/*
touch "$out/ready"
say "built in $(( $(date +%s) - started )) s: $(du -sh "$out/desktop.qcow2" | cut -f1) image"
finish
