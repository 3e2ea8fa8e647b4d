#!/usr/bin/env bash
# scripts/libvirt-corpus.sh — prints the folder of libvirt's own QEMU domain-XML test corpus
# (tests/qemuxml2argvdata of libvirt 9.0.0, about 1,070 domain XMLs), downloading it once.
#
# The source comes from Debian bookworm's libvirt source package whatever the host runs, because the
# project's facts and test expectations are written against libvirt 9.0.0. Cache folder: $LIBVIRT_CORPUS_DIR,
# default .cache/libvirt-corpus under the repository root. Needs apt-get, Debian's archive keyring and network
# access to a Debian mirror for the first run (~9 MB); no root.
# In the corpus, NAME.xml with NAME.args or NAME.ARCH-VERSION.args beside it is a domain libvirt's QEMU driver
# accepts; with only NAME[.ARCH-VERSION].err, one it rejects, libvirt's message in the .err file.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${LIBVIRT_CORPUS_DIR:-$root/.cache/libvirt-corpus}
suite=bookworm
# shellcheck source=scripts/private-apt.sh
source "$root/scripts/private-apt.sh"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

find_corpus() { ls -d "$dir"/libvirt-*/tests/qemuxml2argvdata 2>/dev/null | head -1 || true; }

download() {
  cd "$dir"
  # bookworm's source packages
  private_apt deb-src "$suite" libvirt-corpus
  apt-get "${apt_opts[@]}" -qq source --download-only libvirt >&2
  # only the corpus and the test program that lists it; unpacked aside, then moved, so a half-done run never counts
  rm -rf unpack && mkdir unpack
  tar --no-same-owner -C unpack -xJf libvirt_*.orig.tar.xz --wildcards 'libvirt-*/tests/qemuxml2argvdata/*' 'libvirt-*/tests/qemuxml2argvtest.c'
  mv unpack/libvirt-* . && rmdir unpack
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
  [ -n "$found" ] || { echo "libvirt-corpus: no tests/qemuxml2argvdata in $dir after download" >&2; exit 2; }
fi
echo "$found"
