#!/usr/bin/env bash
# npm run swarm:up — Skep on Docker Swarm in one command (root, Debian): installs docker.io if missing, starts dockerd,
# makes a single-node swarm, builds the images locally, creates the basic-auth secrets, deploys stack.yml, waits for
# the gateway and prints its URL. SKEP_SKIP_IMAGES=1 reuses images already built; SKEP_BASIC_AUTH=false turns auth off.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/docker.sh
stack=${SKEP_STACK:-skep}
port=${SKEP_PORT:-8080}
state=.skep/swarm
mkdir -p "$state"

ensure_docker
missing=()
for p in busybox-static prometheus prometheus-alertmanager nats-server; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ "${SKEP_SKIP_IMAGES:-}" = 1 ] || bash scripts/images/build-all.sh

# Basic-auth credentials as Docker secrets (OpenFaaS's names); the password is kept for the CLI and tests.
if ! docker secret inspect basic-auth-password >/dev/null 2>&1; then
  pass=${SKEP_PASSWORD:-$(head -c 16 /dev/urandom | sha256sum | cut -c1-32)}
  printf admin | docker secret create -l com.skep.managed=true basic-auth-user - >/dev/null
  printf '%s' "$pass" | docker secret create -l com.skep.managed=true basic-auth-password - >/dev/null
  (umask 077; printf '%s' "$pass" >"$state/basic-auth-password")
fi

hash() { sha256sum "$1" | cut -c1-12; }
export SKEP_PROMETHEUS_CONFIG_HASH=$(hash prometheus/prometheus.yml)
export SKEP_PROMETHEUS_RULES_HASH=$(hash prometheus/alert.rules.yml)
export SKEP_ALERTMANAGER_CONFIG_HASH=$(hash prometheus/alertmanager.yml)
export SKEP_PORT=$port
existed=0; docker service inspect "${stack}_gateway" >/dev/null 2>&1 && existed=1
log "docker stack deploy $stack"
# --resolve-image never: there is no registry to ask for digests; the engine uses its local images.
docker stack deploy --resolve-image never --prune -c stack.yml "$stack" >/dev/null
# A re-run with the same image tags would not restart the services; force them (and wait) so rebuilt images are used.
if [ $existed = 1 ]; then
  for svc in nats gateway prometheus alertmanager; do docker service update -q --force "${stack}_$svc" >/dev/null 2>&1 || true; done
fi

log "waiting for the gateway on 127.0.0.1:$port"
for _ in $(seq 1 180); do
  if node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$port/healthz"; then
    echo "Skep gateway: http://127.0.0.1:$port"
    [ -f "$state/basic-auth-password" ] && echo "login: admin / \$(cat $PWD/$state/basic-auth-password)"
    exit 0
  fi
  sleep 1
done
log "the gateway did not answer within 180 s"; docker service ps --no-trunc "${stack}_gateway" >&2 || true
docker service logs --tail 30 "${stack}_gateway" >&2 || true
exit 1
