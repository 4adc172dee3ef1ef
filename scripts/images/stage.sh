#!/usr/bin/env bash
# Stages what the gateway and watchdog images copy into .skep/image/app: compiled dist/, bin/, production node_modules only.
# The Dockerfiles COPY this one folder (see .dockerignore), so both images share the layer and builds stay fast.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${SKEP_SKIP_BUILD:-}" != 1 ]; then
  # tsc still emits when another file has a type error; the images only need what compiled.
  npx tsc -p tsconfig.build.json >/tmp/skep-stage-tsc.log 2>&1 || echo "warning: tsc reported errors (see /tmp/skep-stage-tsc.log)" >&2
fi
out=.skep/image/app
rm -rf "$out"; mkdir -p "$out/dist" "$out/node_modules"
cp package.json "$out/"
cp -r bin "$out/"
for d in common gateway watchdog functions; do [ -d "dist/$d" ] && cp -r "dist/$d" "$out/dist/"; done
find "$out/dist" -name '*.map' -delete
for d in gateway/ui console functions/templates; do [ -d "$d" ] && mkdir -p "$out/$(dirname "$d")" && cp -r "$d" "$out/$d"; done
[ -f functions/stack.yml ] && cp functions/stack.yml "$out/functions/" || true
# Production dependencies only, copied with their nesting.
npm ls --omit=dev --parseable --all 2>/dev/null | tail -n +2 | sed "s|^$PWD/||" | sort -u | while read -r p; do
  case "$p" in node_modules/*) mkdir -p "$out/$(dirname "$p")"; [ -e "$out/$p" ] || cp -r "$p" "$out/$p" ;; esac
done
# better-sqlite3 ships its C sources and build intermediates; the image needs only lib/ and the .node binary.
bs="$out/node_modules/better-sqlite3"
if [ -d "$bs" ]; then rm -rf "$bs/deps" "$bs/src" "$bs/build/Release/obj" "$bs/build/Release/obj.target" "$bs/build/deps" "$bs/build/Release/sqlite3.a" "$bs/build/Release/test_extension.node"; fi
echo "staged $(du -sh "$out" | cut -f1) in $out"
