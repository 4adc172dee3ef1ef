#!/usr/bin/env bash
# Builds the sample function images named in functions/stack.yml from their templates, as faas-cli build would:
# a context holding the template with the handler folder copied into function/. Usage: functions.sh [name...]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${SKEP_BASE_IMAGE:-skep/node-base:20}
watchdog=${SKEP_WATCHDOG_IMAGE:-skep/watchdog:latest}
# name, lang, handler and image of every function (a tiny YAML read through the project's own yaml package).
mapfile -t rows < <(node -e '
  const YAML = require("yaml");
  const doc = YAML.parse(require("fs").readFileSync("functions/stack.yml", "utf8"));
  for (const [n, f] of Object.entries(doc.functions || {})) console.log([n, f.lang, f.handler, f.image].join("\t"));
')
want=("$@")
for row in "${rows[@]}"; do
  IFS=$'\t' read -r name lang handler image <<<"$row"
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $name "* ]]; then continue; fi
  ctx=$(mktemp -d)
  cp -r "functions/templates/$lang/." "$ctx/"
  rm -rf "$ctx/function"; mkdir -p "$ctx/function"
  cp -r "functions/${handler#./}/." "$ctx/function/"
  rm -rf "$ctx/function/node_modules"
  docker build -q --label com.skep.managed=true --build-arg "BASE_IMAGE=$base" --build-arg "WATCHDOG_IMAGE=$watchdog" \
    -t "$image" "$ctx" >/dev/null 2>"$ctx.err" || { cat "$ctx.err" >&2; rm -rf "$ctx" "$ctx.err"; exit 1; }
  rm -rf "$ctx" "$ctx.err"
  echo "built $image"
done
