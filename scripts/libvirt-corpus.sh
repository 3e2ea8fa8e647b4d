#!/usr/bin/env bash
# scripts/libvirt-corpus.sh [9.0|11.3] — prints the folder of libvirt's own QEMU domain-XML test corpus, downloading
# it once from the libvirt source package Debian ships, whatever the host runs:
#   9.0 (default): bookworm's libvirt 9.0.0, tests/qemuxml2argvdata (about 1,070 domain XMLs): NAME.xml with
#     NAME.args or NAME.ARCH-VERSION.args beside it is a domain libvirt's QEMU driver accepts; with only
#     NAME[.ARCH-VERSION].err, one it rejects, libvirt's message in the .err file. The project's facts and test
#     expectations are written against it.
#   11.3: bookworm-backports' libvirt 11.3.0, tests/qemuxmlconfdata (about 2,300 XMLs): inputs as above, and
#     NAME.ARCH-VERSION.xml, the definition libvirt 11.3 writes back for an accepted input (what dumpxml shows).
# Cache folder: $LIBVIRT_CORPUS_DIR, default .cache/libvirt-corpus under the repository root. Needs apt-get,
# Debian's archive keyring and a Debian mirror for the first run (~10 MB each); no root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${LIBVIRT_CORPUS_DIR:-$root/.cache/libvirt-corpus}
case "${1:-9.0}" in
  9.0) suite=bookworm version=9.0.0 data=qemuxml2argvdata extra=tests/qemuxml2argvtest.c ;;
  11.3) suite=bookworm-backports version=11.3.0 data=qemuxmlconfdata extra=tests/qemuxmlconftest.c ;;
  *) echo "libvirt-corpus: version 9.0 or 11.3, not '$1'" >&2; exit 2 ;;
esac
# shellcheck source=scripts/private-apt.sh
source "$root/scripts/private-apt.sh"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

find_corpus() { ls -d "$dir/libvirt-$version/tests/$data" 2>/dev/null | head -1 || true; }

download() {
  mkdir -p "$dir/$suite" && cd "$dir/$suite"
  private_apt deb-src "$suite" libvirt-corpus
  # only the upstream tarball is needed: a mirror may lack the Debian part (then apt-get fails after fetching it)
  apt-get "${apt_opts[@]}" -qq source --download-only libvirt >apt/source.log 2>&1 || true
  [ -f "libvirt_$version.orig.tar.xz" ] || {
    cat apt/source.log >&2
    echo "libvirt-corpus: libvirt_$version.orig.tar.xz was not downloaded" >&2
    exit 2
  }
  # only the corpus and the test program that lists it; unpacked aside, then moved, so a half-done run never counts
  rm -rf unpack && mkdir unpack
  tar --no-same-owner -C unpack -xJf "libvirt_$version.orig.tar.xz" --wildcards "libvirt-$version/tests/$data/*" "libvirt-$version/$extra"
  mkdir -p "$dir/libvirt-$version/tests"
  mv "unpack/libvirt-$version/tests/$data" "$dir/libvirt-$version/tests/" && mv "unpack/libvirt-$version/$extra" "$dir/libvirt-$version/tests/"
  rm -rf unpack
}

found=$(find_corpus)
if [ -z "$found" ]; then
  command -v apt-get >/dev/null || { echo "libvirt-corpus: apt-get is needed to download libvirt's source package" >&2; exit 2; }
  # two test runs starting at once on an empty cache download it once
  exec 9>"$dir/.lock"
  flock 9
  found=$(find_corpus)
  [ -n "$found" ] || (download)
  found=$(find_corpus)
  [ -n "$found" ] || { echo "libvirt-corpus: no tests/$data in $dir after download" >&2; exit 2; }
fi
echo "$found"
