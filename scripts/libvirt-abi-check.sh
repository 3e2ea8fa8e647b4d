#!/usr/bin/env bash
# libvirt-abi-check.sh SRC.xml DST.xml
# Asks libvirt itself whether DST is ABI-compatible with SRC: the check `virsh migrate --xml DST` runs.
# No daemon: the built-in test driver (test:///default) defines SRC, then redefines one snapshot twice, first
# holding SRC and then DST, which runs virDomainDefCheckABIStability(SRC, DST).
# Prints OK and exits 0, or prints libvirt's message and exits 1; exits 2 on usage errors or missing tools.
# SRC and DST must carry the same <name> (and <uuid>, if any).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: libvirt-abi-check.sh SRC.xml DST.xml" >&2; exit 2; }
src=$1 dst=$2
missing=()
command -v virsh >/dev/null || missing+=(libvirt-clients)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "libvirt-abi-check: needs virsh and xmllint: install the Debian/Ubuntu packages ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2
  exit 2
fi
for f in "$src" "$dst"; do [ -r "$f" ] || { echo "libvirt-abi-check: cannot read $f" >&2; exit 2; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
name=$(xmllint --xpath 'string(/domain/name)' "$src")
# A domain without <uuid> gets a random one at define: give both copies the same fixed one instead.
if [ -z "$(xmllint --xpath 'string(/domain/uuid)' "$src")" ]; then
  for f in src dst; do
    sed '0,/<\/name>/s##</name><uuid>00000000-0000-4000-8000-0000000000ab</uuid>#' "${!f}" > "$work/$f.xml"
  done
  src=$work/src.xml dst=$work/dst.xml
fi
wrap() {
  { echo "<domainsnapshot><name>abi</name><state>shutoff</state><creationTime>1700000000</creationTime>"
    sed '1{/^<?xml/d}' "$1"
    echo "</domainsnapshot>"; } > "$2"
}
wrap "$src" "$work/s1.xml"
wrap "$dst" "$work/s2.xml"
# One virsh process: the test driver's state lives only as long as its connection.
out=$(virsh -q -c test:///default "define '$src'; snapshot-create '$name' '$work/s1.xml' --redefine; snapshot-create '$name' '$work/s2.xml' --redefine" 2>&1 >/dev/null || true)
out=$(printf '%s\n' "$out" | sed '/^$/d; s/^error: //' | tr '\n' ' ' | sed 's/ *$//')
if [ -z "$out" ]; then echo OK; else echo "$out"; exit 1; fi
