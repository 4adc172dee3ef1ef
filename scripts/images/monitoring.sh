#!/usr/bin/env bash
# Builds skep/prometheus:local and skep/alertmanager:local from Debian's prometheus and prometheus-alertmanager binaries.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if ! command -v prometheus >/dev/null || ! command -v prometheus-alertmanager >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null
fi

build() { # build TAG BINARY DEFAULT-FLAGS-JSON EXTRA-DIRS...  (the stack's command replaces the default flags)
  local tag=$1 bin=$2 flags=$3; shift 3
  local recipe; recipe="$(dpkg -S "$bin" 2>/dev/null | cut -d: -f1)-$(sha256sum "$bin" | cut -c1-12)-r2"
  if [ "$(docker image inspect -f '{{index .Config.Labels "com.skep.recipe"}}' "$tag" 2>/dev/null)" = "$recipe" ]; then
    echo "$tag is up to date"; return 0
  fi
  local root; root=$(mktemp -d)
  base_rootfs "$root"
  copy_with_libs "$root" "$bin"
  for d in "$@"; do mkdir -p "$root$(dirname "$d")"; cp -a "$d" "$root$d"; done
  mkdir -p "$root/prometheus" "$root/alertmanager" "$root/etc/prometheus"
  chmod 777 "$root/prometheus" "$root/alertmanager"
  import_rootfs "$root" "$tag" --change "ENTRYPOINT [\"$bin\"]" --change "CMD $flags" --change 'WORKDIR /' --change "LABEL com.skep.recipe=$recipe"
  rm -rf "$root"
  echo "built $tag"
}

build skep/prometheus:local "$(readlink -f "$(command -v prometheus)")" \
  '["--config.file=/etc/prometheus/prometheus.yml","--storage.tsdb.path=/prometheus"]' \
  /usr/share/prometheus/web
# Alertmanager refuses to start without its default notification template.
build skep/alertmanager:local "$(readlink -f "$(command -v prometheus-alertmanager)")" \
  '["--config.file=/etc/alertmanager/alertmanager.yml","--storage.path=/alertmanager"]' \
  /usr/share/prometheus/alertmanager
