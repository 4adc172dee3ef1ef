#!/usr/bin/env bash
# Shared helpers for the Swarm scripts: make sure Docker is installed, running and a swarm manager. Source it.
SKEP_DOCKER_LOG=${SKEP_DOCKER_LOG:-/var/log/skep-dockerd.log}
SKEP_LABEL=${SKEP_LABEL:-com.skep.managed=true}

log() { printf '[skep %s] %s\n' "$(date +%T)" "$*" >&2; }

# Installs Debian's docker.io when dockerd is missing (a bare client in /usr/local/bin does not count).
ensure_docker_installed() {
  command -v dockerd >/dev/null 2>&1 && return 0
  log "installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq docker.io >/dev/null
}

# Starts dockerd in the background (logging to a file) unless an engine already answers; waits for its socket.
ensure_docker_running() {
  if docker info >/dev/null 2>&1; then return 0; fi
  log "starting dockerd (log: $SKEP_DOCKER_LOG)"
  # Swarm would try to pull every image at task start; this makes it use the local one (no registry here).
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 nohup dockerd >>"$SKEP_DOCKER_LOG" 2>&1 &
  echo $! >/run/skep-dockerd.pid
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "dockerd did not start; last log lines:"; tail -20 "$SKEP_DOCKER_LOG" >&2
  return 1
}

# Makes this engine a single-node swarm manager unless it is one already.
ensure_swarm() {
  local state
  state=$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)
  if [ "$state" = "active" ]; then return 0; fi
  log "docker swarm init"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
  touch /run/skep-swarm-init
}

ensure_docker() { ensure_docker_installed && ensure_docker_running && ensure_swarm; }
