#!/usr/bin/env bash
# Runs the build steps of the container image files outside a container (no engine on CI machines):
# every 'RUN' line marked '# BUILD-STEP' in silo.Containerfile and fedctl.Containerfile, with the build
# stage's /src as the repository root and /app as an output folder. Then starts the published silo
# as the image would (embedded mode here, its port from ASPNETCORE_URLS) and probes its health
# endpoints, and runs the published fedctl.
#
#   infra/container/build-steps.sh [output-folder]      (default: a temporary folder, removed after)
#
# Prints "container build steps: ok" and exits 0, or says which step failed and exits 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${1:-}
keep=1
if [ -z "$out" ]; then
  out=$(mktemp -d)
  keep=0
fi
mkdir -p "$out"
silo_pid=""
cleanup() {
  if [ -n "$silo_pid" ]; then kill "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; fi
  if [ "$keep" = 0 ]; then rm -rf "$out"; fi
}
trap cleanup EXIT
fail() { echo "error: $*" >&2; exit 1; }

for file in infra/container/silo.Containerfile infra/container/fedctl.Containerfile; do
  steps=$(grep -A1 '^# BUILD-STEP' "$file" | grep '^RUN ' | sed 's/^RUN //') || true
  [ -n "$steps" ] || fail "$file has no '# BUILD-STEP' RUN lines"
  while IFS= read -r step; do
    command=${step//\/app\//$out/}
    echo "== $(basename "$file"): $command"
    bash -c "$command" >"$out/step.log" 2>&1 || { tail -n 30 "$out/step.log" >&2; fail "$(basename "$file"): '$step' failed"; }
  done <<<"$steps"
done

[ -f "$out/silo/Federation.Silo.dll" ] || fail "the silo was not published to $out/silo"
[ -f "$out/fedctl/fedctl.dll" ] || fail "fedctl was not published to $out/fedctl"
entry=$(grep '^ENTRYPOINT' infra/container/silo.Containerfile)
[ "$entry" = 'ENTRYPOINT ["dotnet", "/app/Federation.Silo.dll"]' ] || fail "silo.Containerfile's ENTRYPOINT is not the published silo: $entry"

# The published silo, as the image's entry point starts it (embedded, on loopback, ports by ASP.NET Core's convention).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
ASPNETCORE_URLS="http://127.0.0.1:$port" \
Federation__SiloPort=0 Federation__GatewayPort=0 Federation__SeedDemoCatalogue=false \
Federation__Artifacts__Root="$out/artifacts" \
  dotnet "$out/silo/Federation.Silo.dll" >"$out/silo.log" 2>&1 &
silo_pid=$!
deadline=$(( $(date +%s) + 90 ))
until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
  kill -0 "$silo_pid" 2>/dev/null || { tail -n 30 "$out/silo.log" >&2; fail "the published silo exited before it was ready"; }
  [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$out/silo.log" >&2; fail "the published silo was not ready on port $port (ASPNETCORE_URLS) within 90 s"; }
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null || fail "/health/live did not answer 200"
grep -q 'urls from  ASPNETCORE_URLS' "$out/silo.log" || fail "the silo did not take its URL from ASPNETCORE_URLS"
dotnet "$out/fedctl/fedctl.dll" --url "http://127.0.0.1:$port" peers >"$out/fedctl.log" 2>&1 \
  || { cat "$out/fedctl.log" >&2; fail "the published fedctl could not read the published silo's peers"; }
echo "container build steps: ok (silo ready on port $port)"
