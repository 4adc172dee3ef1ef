#!/usr/bin/env bash
# CI: the Swarm suite on a fresh machine (root). Installs and starts Docker, makes a swarm, builds the images, deploys the
# stack, runs `npm run test:swarm` writing Jest's JSON report to $1, then removes everything (and stops the dockerd it started).
set -uo pipefail
cd "$(dirname "$0")/../.."
report=${1:?usage: swarm-suite.sh <report.json>}
source scripts/lib/docker.sh
started=$(date +%s)
status=0

teardown() {
  log "teardown"
  bash scripts/swarm-down.sh --purge >/dev/null 2>&1 || true
  log "swarm suite took $(( $(date +%s) - started )) s"
}
trap teardown EXIT

# A report saying what failed, so the CI summary counts a set-up failure instead of silently skipping the suite.
fail_report() {
  node -e '
    const [file, msg] = process.argv.slice(1);
    require("fs").writeFileSync(file, JSON.stringify({ numPassedTests: 0, numFailedTests: 1, numPendingTests: 0, numTodoTests: 0, numTotalTests: 1, success: false,
      testResults: [{ name: "swarm-suite setup", status: "failed", message: msg, assertionResults: [{ title: "setup", status: "failed", failureMessages: [msg] }] }] }));
  ' "$report" "$1"
}

if ! ensure_docker; then fail_report "could not install or start Docker in swarm mode"; exit 1; fi
if ! SKEP_SKIP_IMAGES=0 bash scripts/swarm-up.sh; then fail_report "swarm-up.sh failed (images or stack)"; exit 1; fi
npx jest -c test/swarm/jest.config.js --runInBand --json --outputFile="$report" || status=1
exit $status
