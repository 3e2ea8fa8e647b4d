#!/usr/bin/env bash
# scripts/libvirt-host-corpus.sh — prints the tests/ folder of libvirt 9.0.0's source holding its own host test data,
# extracting it once from the source tarball scripts/libvirt-corpus.sh downloads (same cache folder):
#   tests/nodedevschemadata/   node device XML (PCI PFs and VFs, net devices, …)
#   tests/nodedevxml2xmlout/   the same as libvirt writes it back
#   tests/networkxml2xmlin|out/ network XML (hostdev pools by address and by PF, NAT, bridge, …); some of its
#                              files are links into tests/networkxml2confdata/, extracted too
#   tests/domaincapsdata/      domcapabilities output for QEMU 4.2 … 8.0 and other drivers
#   tests/storagepoolxml2xmlout/ storage pool XML
#   tests/capabilityschemadata/ virsh capabilities output
# Needs what libvirt-corpus.sh needs the first time (apt-get, Debian's archive keyring, a Debian mirror); no root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
qemu=$(bash "$root/scripts/libvirt-corpus.sh" 9.0)    # …/libvirt-9.0.0/tests/qemuxml2argvdata, downloading once
tests=$(dirname "$qemu")
src=$(dirname "$tests")
cache=$(dirname "$src")
dirs=(nodedevschemadata nodedevxml2xmlout networkxml2xmlin networkxml2xmlout networkxml2confdata domaincapsdata storagepoolxml2xmlout capabilityschemadata)
missing=()
for d in "${dirs[@]}"; do [ -d "$tests/$d" ] || missing+=("$d"); done
if [ ${#missing[@]} -gt 0 ]; then
  exec 9>"$cache/.lock-host"
  flock 9
  # where libvirt-corpus.sh downloads bookworm's source (before it kept one folder per suite: the cache's top)
  tarball=$(ls "$cache"/bookworm/libvirt_9.0.0.orig.tar.xz "$cache"/libvirt_9.0.0.orig.tar.xz 2>/dev/null | head -1 || true)
  [ -n "$tarball" ] || { echo "libvirt-host-corpus: no libvirt_*.orig.tar.xz in $cache (remove $src and run again)" >&2; exit 2; }
  # unpacked aside, then moved, so a half-done run never counts
  rm -rf "$cache/unpack-host" && mkdir "$cache/unpack-host"
  patterns=()
  for d in "${missing[@]}"; do patterns+=("libvirt-*/tests/$d/*"); done
  tar --no-same-owner -C "$cache/unpack-host" -xJf "$tarball" --wildcards "${patterns[@]}"
  for d in "${missing[@]}"; do
    [ -d "$tests/$d" ] || mv "$cache"/unpack-host/libvirt-*/tests/"$d" "$tests/$d"
  done
  rm -rf "$cache/unpack-host"
fi
echo "$tests"
