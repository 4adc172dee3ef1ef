#!/usr/bin/env bash
# Builds skep/node-base:<major> from the host's node binary and its shared libraries (docker import: no registry needed).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
node_bin=$(readlink -f "$(command -v node)")
version="$("$node_bin" -v)-r2"  # -rN: bump when the root filesystem recipe changes
tag=${1:-skep/node-base:$(echo "$version" | sed 's/^v\([0-9]*\).*/\1/')}
if [ "$(docker image inspect -f '{{index .Config.Labels "com.skep.node.version"}}' "$tag" 2>/dev/null)" = "$version" ]; then
  echo "$tag (node $version) is up to date"; exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
base_rootfs "$root"
copy_with_libs "$root" /bin/busybox
mkdir -p "$root/usr/local/bin"
copy_with_libs "$root" "$node_bin"
[ "$node_bin" = /usr/local/bin/node ] || ln -sf "$node_bin" "$root/usr/local/bin/node"
import_rootfs "$root" "$tag" \
  --change "LABEL com.skep.node.version=$version" \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'WORKDIR /home/app' \
  --change 'CMD ["node"]'
echo "built $tag (node $version)"
