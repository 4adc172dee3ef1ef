#!/usr/bin/env bash
# npm run swarm:down — removes what swarm:up and the gateway created: the stack, function services, Skep's secrets,
# configs and networks. --purge also removes the stack's volumes and the images, leaves the swarm if swarm:up made it
# and stops the dockerd it started.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/docker.sh
stack=${SKEP_STACK:-skep}
purge=0; [ "${1:-}" = --purge ] && purge=1
docker info >/dev/null 2>&1 || { log "no Docker engine running: nothing to remove"; exit 0; }

label=com.skep.managed=true
docker stack rm "$stack" >/dev/null 2>&1 || true
ids=$(docker service ls -q --filter "label=$label"); [ -n "$ids" ] && docker service rm $ids >/dev/null
ids=$(docker service ls -q --filter "label=com.skep.test"); [ -n "$ids" ] && docker service rm $ids >/dev/null
# Containers take a moment to stop; secrets, configs and networks in use cannot be removed before.
for _ in $(seq 1 60); do
  [ -z "$(docker ps -q --filter "label=com.docker.stack.namespace=$stack")$(docker ps -q --filter "label=$label")" ] && break
  sleep 1
done
for kind in secret config; do
  ids=$(docker $kind ls -q --filter "label=$label"); [ -n "$ids" ] && docker $kind rm $ids >/dev/null 2>&1
  ids=$(docker $kind ls -q --filter "label=com.docker.stack.namespace=$stack"); [ -n "$ids" ] && docker $kind rm $ids >/dev/null 2>&1
done
for _ in $(seq 1 20); do
  ids=$(docker network ls -q --filter "label=$label"; docker network ls -q --filter label=com.skep.test)
  [ -z "$ids" ] && break
  docker network rm $ids >/dev/null 2>&1 || sleep 1
done
rm -f .skep/swarm/basic-auth-password
if [ $purge = 1 ]; then
  # The stack's named volumes (gateway data, NATS JetStream store) hold queued async requests: only --purge drops them.
  ids=$(docker volume ls -q --filter "label=com.docker.stack.namespace=$stack"); [ -n "$ids" ] && docker volume rm $ids >/dev/null 2>&1
  ids=$(docker images -q --filter "label=$label" | sort -u); [ -n "$ids" ] && docker rmi -f $ids >/dev/null 2>&1
  [ -f /run/skep-swarm-init ] && docker swarm leave --force >/dev/null 2>&1 && rm -f /run/skep-swarm-init
  if [ -f /run/skep-dockerd.pid ]; then
    pid=$(cat /run/skep-dockerd.pid)
    kill "$pid" 2>/dev/null && for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    rm -f /run/skep-dockerd.pid
  fi
fi
log "removed Skep's stack, functions, secrets, configs and networks"
