#!/usr/bin/env bash
# Starts a Docker engine suited to this environment (no bridge network, no iptables) unless one
# already answers on /var/run/docker.sock. Idempotent; safe to call from CI and from test setup.
set -euo pipefail

LOG=/tmp/bulwark-dockerd.log
WAIT_SECONDS=60

engine_answers() {
  docker info >/dev/null 2>&1
}

if engine_answers; then
  echo "start-dockerd: engine already running"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "start-dockerd: dockerd not found; install the docker.io package" >&2
  exit 1
fi

# A stale pid file from a killed engine makes dockerd refuse to start.
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  rm -f /var/run/docker.pid
fi

echo "start-dockerd: starting dockerd (log: $LOG)"
nohup dockerd --bridge=none --iptables=false --ip6tables=false --storage-driver=overlay2 \
  >"$LOG" 2>&1 </dev/null &
pid=$!

for _ in $(seq 1 "$WAIT_SECONDS"); do
  if engine_answers; then
    echo "start-dockerd: engine up (pid $pid)"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-dockerd: dockerd exited during start-up; last log lines:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
  sleep 1
done

echo "start-dockerd: engine did not answer within ${WAIT_SECONDS}s; last log lines:" >&2
tail -n 30 "$LOG" >&2
exit 1
