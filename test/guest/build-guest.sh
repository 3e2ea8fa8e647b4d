#!/bin/bash
# Builds the virtio-net failover test guest: a Debian kernel + a busybox initramfs whose /init (test/guest/init)
# forms the net_failover master and prints one "FO t=… active=primary|standby|none" line per second on ttyS0.
#
#   test/guest/build-guest.sh      -> $FG/out/{vmlinuz,initrd.img,vmlinux,kver}; prints $FG/out on the last line
#
# FG defaults to .cache/failover-guest in the clone (gitignored). The .debs are kept in $FG/debs, so the archive
# is reached once; the build runs again only when this script, /init or a .deb changed (out/stamp). Safe to run
# from two processes at once (flock). vmlinux is the uncompressed ELF kernel: QEMU boots it through PVH, which under
# TCG skips ~9 s of SeaBIOS + xz decompression per boot (see test/host/README.md).
# Exit 3 (with what to install) when it cannot build: not root (mknod), no apt-get/dpkg-deb/depmod, no archive.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
FG=${FG:-$(cd "$HERE/../.." && pwd)/.cache/failover-guest}
MODS="virtio_pci virtio_net net_failover failover e1000e"
die3() { echo "build-guest: $*" >&2; exit 3; }

[ "$(id -u)" = 0 ] || die3 "needs root (mknod for the initramfs' /dev/console)"
for t in apt-get apt-cache dpkg-deb depmod modprobe gzip xz; do
  command -v $t >/dev/null || die3 "needs $t: apt-get install -y kmod xz-utils (see scripts/system-deps.sh)"
done
mkdir -p "$FG/debs"
exec 9>"$FG/.lock"
flock -w 600 9 || die3 "another build held $FG/.lock for 10 minutes"

cd "$FG/debs"
fetch() { # fetch PKG: apt-get download once; a stale package list gets one 'apt-get update'
  ls "$1"_*.deb >/dev/null 2>&1 && return
  apt-get download -q "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q "$1" >/dev/null; } ||
    die3 "cannot download $1 from the Debian archive (network? apt sources?)"
}
KPKG=${KPKG:-$(ls linux-image-*-amd64_*.deb 2>/dev/null | head -1 | cut -d_ -f1 || true)}
[ -n "$KPKG" ] || KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
[ -n "$KPKG" ] || die3 "apt-cache knows no linux-image-amd64 (run apt-get update)"
fetch "$KPKG"; fetch busybox-static
KDEB=$(ls -t "${KPKG}"_*.deb | head -1); BBDEB=$(ls -t busybox-static_*.deb | head -1)

STAMP=$(cat "$HERE/init" "$HERE/build-guest.sh" | sha256sum | cut -c1-16)" $KDEB $BBDEB"
OUT=$FG/out
if [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$STAMP" ]; then echo "$OUT"; exit 0; fi

t0=$(date +%s.%N)
BUILD=$(mktemp -d "$FG/build.XXXXXX")
trap 'rm -rf "$BUILD"' EXIT
dpkg-deb -x "$FG/debs/$KDEB" "$BUILD/k"
dpkg-deb -x "$FG/debs/$BBDEB" "$BUILD/bb"
KVER=$(ls "$BUILD/k/lib/modules")
depmod -b "$BUILD/k" "$KVER"

R=$BUILD/root
mkdir -p "$R"/{bin,sbin,dev,proc,sys,tmp,run} "$R/lib/modules/$KVER"
cp "$BUILD/bb/bin/busybox" "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
mknod -m 600 "$R/dev/console" c 5 1
mknod -m 666 "$R/dev/null" c 1 3
install -m 755 "$HERE/init" "$R/init"
# the modules and everything they depend on, as modprobe resolves them
for f in $(for m in $MODS; do modprobe -d "$BUILD/k" -S "$KVER" --show-depends $m; done | awk '$1=="insmod"{print $2}' | sort -u); do
  rel=${f#"$BUILD/k/lib/modules/$KVER/"}
  mkdir -p "$R/lib/modules/$KVER/$(dirname "$rel")"; cp "$f" "$R/lib/modules/$KVER/$rel"
done
cp "$BUILD/k/lib/modules/$KVER"/modules.{order,builtin,builtin.modinfo} "$R/lib/modules/$KVER/" 2>/dev/null || true
depmod -b "$R" "$KVER"

N=$BUILD/out; mkdir -p "$N"
(cd "$R" && find . | "$BUILD/bb/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -6) > "$N/initrd.img"
cp "$BUILD/k/boot/vmlinuz-$KVER" "$N/vmlinuz"
# the bzImage payload is xz (CONFIG_KERNEL_XZ=y); the ELF inside carries the PVH entry note (CONFIG_PVH=y)
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$N/vmlinuz" | head -1 | cut -d: -f1)
tail -c +$((off + 1)) "$N/vmlinuz" | xz -dc --single-stream > "$N/vmlinux" 2>/dev/null || true
[ "$(head -c 4 "$N/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] || { echo "build-guest: no ELF kernel in $KDEB" >&2; exit 1; }
echo "$KVER" > "$N/kver"
echo "$STAMP" > "$N/stamp"
rm -rf "$OUT"; mv "$N" "$OUT"
awk -v a="$t0" -v b="$(date +%s.%N)" -v k="$KDEB" 'BEGIN{printf "build-guest: built from %s in %.1f s\n", k, b-a}' >&2
echo "$OUT"
