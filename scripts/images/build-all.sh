#!/usr/bin/env bash
# Builds every image Skep's stack and sample functions need, with no registry: node base, Prometheus, Alertmanager,
# NATS, gateway, watchdog and the sample functions. Set SKEP_BASE_IMAGE=node:20-alpine to build on the public base instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOCKER_BUILDKIT=0
base=${SKEP_BASE_IMAGE:-skep/node-base:20}
step() { printf '[images %s] %s\n' "$(date +%T)" "$*" >&2; }
if [ "$base" = skep/node-base:20 ]; then step "node base"; bash scripts/images/node-base.sh "$base"; fi
step "prometheus + alertmanager"; bash scripts/images/monitoring.sh
step "nats"; bash scripts/images/nats.sh
step "stage app"; bash scripts/images/stage.sh
step "watchdog"; docker build -q -f watchdog/Dockerfile --build-arg "BASE_IMAGE=$base" -t skep/watchdog:latest . 2>/dev/null
step "gateway"; docker build -q -f gateway/Dockerfile --build-arg "BASE_IMAGE=$base" -t skep/gateway:latest . 2>/dev/null
step "functions"; SKEP_BASE_IMAGE=$base bash scripts/images/functions.sh
docker image prune -f --filter label=com.skep.managed=true >/dev/null 2>&1 || true
