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
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
schemas=$dir/root/usr/share/libvirt/schemas

if [ ! -f "$schemas/.source.json" ]; then
  cd "$dir"
  mkdir -p apt/lists/partial apt/cache/archives/partial
  # the machine's Debian mirror when it has one, asked for bookworm-backports' packages
  uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | grep /debian | head -1 || true)
  [ -n "$uri" ] || uri=$(awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || { echo "libvirt-schemas: $keyring is missing: apt-get install debian-archive-keyring" >&2; exit 2; }
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$uri" "$suite" "$keyring" > apt/bpo.sources
  opts=(-o Dir::Etc::sourcelist="$dir/apt/bpo.sources" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$dir/apt/lists"
        -o Dir::Cache="$dir/apt/cache" -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Architecture=amd64 -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" -qq update >&2
  rm -f libvirt-common_*.deb
  apt-get "${opts[@]}" -qq download libvirt-common >&2
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
