#!/usr/bin/env bash
# Stops both daemons (slurmd, slurmctld) of a local cluster started by slurm-up.sh. Idempotent.
#
#   slurm-down.sh NAME [DIR]
#
# Only the processes named in DIR's pid files and started with DIR's slurm.conf are stopped.
# The state directory stays, so a later slurm-up.sh recovers the cluster's jobs.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 NAME [DIR]" >&2; exit 2; }
name=$1
dir=${2:-/var/tmp/federation-slurm/$name}
if [ ! -d "$dir" ]; then
  echo "slurm-down[$name]: $dir does not exist; nothing to stop" >&2
  exit 0
fi
dir=$(cd "$dir" && pwd -P)
conf=$dir/slurm.conf

exec 9>"$dir/.lock"
flock -w 300 9 || { echo "slurm-down[$name]: timed out waiting for $dir/.lock" >&2; exit 1; }

stop_daemon() { # $1 = slurmd | slurmctld
  local pidfile="$dir/$1.pid" pid
  [ -s "$pidfile" ] || return 0
  pid=$(tr -dc '0-9' <"$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$1 -f $conf" || return 0
  echo "slurm-down[$name]: stopping $1 (pid $pid)" >&2
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  echo "slurm-down[$name]: $1 (pid $pid) did not stop within 10 s; killing it" >&2
  kill -9 "$pid" 2>/dev/null || true
}
stop_daemon slurmd
stop_daemon slurmctld
echo "slurm-down[$name]: stopped"
