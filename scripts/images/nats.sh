#!/usr/bin/env bash
# Builds skep/nats:local from Debian's nats-server binary (the async queue's JetStream backend on Swarm).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v nats-server >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nats-server >/dev/null

tag=skep/nats:local
bin=$(readlink -f "$(command -v nats-server)")
recipe="$(dpkg -S "$bin" 2>/dev/null | cut -d: -f1)-$(sha256sum "$bin" | cut -c1-12)-r1"
if [ "$(docker image inspect -f '{{index .Config.Labels "com.skep.recipe"}}' "$tag" 2>/dev/null)" = "$recipe" ]; then
  echo "$tag is up to date"; exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
base_rootfs "$root"
copy_with_libs "$root" "$bin"
mkdir -p "$root/data"
# The stack's command replaces the default flags: JetStream on, its store under /data (a named volume), monitoring on 8222.
import_rootfs "$root" "$tag" --change "ENTRYPOINT [\"$bin\"]" --change 'CMD ["-js","-sd","/data","-m","8222"]' \
  --change 'WORKDIR /' --change 'EXPOSE 4222' --change "LABEL com.skep.recipe=$recipe com.skep.component=nats"
echo "built $tag"
