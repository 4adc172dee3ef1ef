#!/usr/bin/env bash
# Helpers for building images with no registry: a root filesystem from host binaries and their shared libraries. Source it.
set -euo pipefail

# copy_with_libs ROOT BIN...: copies each binary and every library ldd lists for it (plus the dynamic loader) into ROOT.
copy_with_libs() {
  local root=$1; shift
  local bin lib
  for bin in "$@"; do
    mkdir -p "$root$(dirname "$bin")"
    cp -L "$bin" "$root$bin"
    for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
      mkdir -p "$root$(dirname "$lib")"
      [ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
    done
  done
}

# base_rootfs ROOT: a minimal Linux tree: busybox as /bin/sh and friends, /tmp, users root and app (uid 1000), CA bundle.
base_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,etc,tmp,home/app,var/run,etc/ssl/certs}
  chmod 1777 "$root/tmp"
  if [ -x /bin/busybox ]; then
    cp /bin/busybox "$root/bin/busybox"
    for tool in sh [ ls cat cp mv rm mkdir ln chmod chown env echo test grep sed wget sleep hostname id ps kill true false; do
      ln -sf busybox "$root/bin/$tool"
    done
  fi
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  [ -f /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" || true
  chown 1000:1000 "$root/home/app"
}

# import_rootfs ROOT TAG [--change ...]: turns ROOT into an image (labelled as Skep's).
import_rootfs() {
  local root=$1 tag=$2; shift 2
  tar -C "$root" -c . | docker import --change 'LABEL com.skep.managed=true' "$@" - "$tag" >/dev/null
}
