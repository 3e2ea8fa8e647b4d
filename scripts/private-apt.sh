# scripts/private-apt.sh — sourced by the download scripts: apt-get on a private source list and private state under
# the current folder (apt/), so nothing of the machine's apt configuration changes and no root is needed.
#   private_apt TYPES SUITE NAME   sets the array apt_opts for `apt-get "${apt_opts[@]}" …` and runs `update`
# TYPES is deb or deb-src; the mirror is the machine's Debian mirror when it has one; NAME prefixes messages.
private_apt() {
  local types=$1 suite=$2 name=$3 uri keyring
  mkdir -p apt/lists/partial apt/cache/archives/partial
  uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | grep /debian | head -1 || true)
  [ -n "$uri" ] || uri=$(awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || { echo "$name: $keyring is missing: apt-get install debian-archive-keyring" >&2; exit 2; }
  printf 'Types: %s\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$types" "$uri" "$suite" "$keyring" > apt/private.sources
  apt_opts=(-o Dir::Etc::sourcelist="$PWD/apt/private.sources" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$PWD/apt/lists"
            -o Dir::Cache="$PWD/apt/cache" -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" -qq update >&2
}
