#!/usr/bin/env bash
# Makes sure the Debian packages the tests use as judges are installed:
#   libvirt-clients (virsh, virt-xml-validate, libvirt's RelaxNG schemas), libxml2-utils (xmllint), and for a real
#   libvirtd with the QEMU driver in a private namespace (scripts/libvirtd-sandbox): libvirt-daemon,
#   libvirt-daemon-driver-qemu, qemu-system-x86; for the host test beds (test/helpers/hosts.ts, npm run test:host):
#   iptables and dnsmasq-base (libvirt networks), iproute2, kmod and xz-utils (test/guest/build-guest.sh) and
#   debootstrap (scripts/lv11's libvirt 11.3 chroot); openssh-client (ssh under virsh for qemu+ssh://; the server side
#   is Debian's sshd unpacked into .cache/sshd by test/helpers/sshd.ts, never installed).
# As root with apt-get available it installs what is missing; otherwise it prints the command and fails.
set -euo pipefail
need=()
command -v virsh >/dev/null || need+=(libvirt-clients)
command -v virt-xml-validate >/dev/null || need+=(libvirt-clients)
command -v xmllint >/dev/null || need+=(libxml2-utils)
[ -f /usr/share/libvirt/schemas/domain.rng ] || need+=(libvirt-clients)
[ -x /usr/sbin/libvirtd ] || need+=(libvirt-daemon)
[ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ] || [ -n "$(find /usr/lib -name 'libvirt_driver_qemu.so' 2>/dev/null | head -1)" ] || need+=(libvirt-daemon-driver-qemu)
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
export PATH="$PATH:/usr/sbin:/sbin"
command -v iptables >/dev/null || need+=(iptables)
command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
command -v ip >/dev/null || need+=(iproute2)
command -v depmod >/dev/null || need+=(kmod)
command -v xz >/dev/null || need+=(xz-utils)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v ssh-keygen >/dev/null || need+=(openssh-client)   # qemu+ssh:// tests (their sshd: test/helpers/sshd.ts)
[ ${#need[@]} -eq 0 ] && exit 0
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "system-deps: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "system-deps: missing ${need[*]}: run  sudo apt-get install -y ${need[*]}" >&2
  echo "system-deps: (or set MIGRATABLE_SKIP_LIBVIRT=1 to run without libvirt as a judge: those tests are then reported as skipped)" >&2
  [ "${MIGRATABLE_SKIP_LIBVIRT:-}" = 1 ] && exit 0
  exit 1
fi
