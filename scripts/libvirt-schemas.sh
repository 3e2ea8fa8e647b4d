#!/usr/bin/env bash
# scripts/libvirt-schemas.sh — prints the folder of libvirt 11.3's RelaxNG schemas (domain.rng and what it includes),
# downloading them once: the package libvirt-common from Debian bookworm-backports, unpacked (never installed).
#
# The vocabulary (schemas/domain-vocabulary.json, scripts/gen-vocabulary.ts) is generated from these, not from the
# installed libvirt 9.0: the extension judges domains from hosts of any libvirt version, and what a newer libvirt
# writes into every definition must not be an error (libvirt 11.3 adds <watchdog model='itco'/> to q35 domains,
# which 9.0's schema does not know). The folder holds .source.json: the libvirt version and the package it came from.
# Cache folder: $LIBVIRT_SCHEMAS_DIR, default .cache/libvirt-schemas under the repository root. Needs apt-get,
# dpkg-deb, Debian's archive keyring and a Debian mirror for the first run (~1 MB); no root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${LIBVIRT_SCHEMAS_DIR:-$root/.cache/libvirt-schemas}
suite=bookworm-backports
# shellcheck source=scripts/private-apt.sh
source "$root/scripts/private-apt.sh"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
schemas=$dir/root/usr/share/libvirt/schemas

if [ ! -f "$schemas/.source.json" ]; then
  command -v apt-get >/dev/null || { echo "libvirt-schemas: apt-get is needed to download libvirt-common" >&2; exit 2; }
  # two runs starting at once on an empty cache download it once
  exec 9>"$dir/.lock"
  flock 9
fi
if [ ! -f "$schemas/.source.json" ]; then
  cd "$dir"
  private_apt deb "$suite" libvirt-schemas
  rm -f libvirt-common_*.deb
  apt-get "${apt_opts[@]}" -o APT::Architecture=amd64 -qq download libvirt-common >&2
  deb=$(ls libvirt-common_*.deb | head -1)
  version=$(dpkg-deb -f "$deb" Version)
  # unpacked aside, then moved, so a half-done run never counts
  rm -rf unpack root && mkdir unpack
  dpkg-deb -x "$deb" unpack
  [ -f unpack/usr/share/libvirt/schemas/domain.rng ] || { echo "libvirt-schemas: no domain.rng in $deb" >&2; exit 2; }
  printf '{"libvirt":"%s","package":"Debian libvirt-common %s"}\n' "${version%%-*}" "$version" \
    > unpack/usr/share/libvirt/schemas/.source.json
  mv unpack root
fi
echo "$schemas"
