#!/usr/bin/env bash
# Lints both committed OpenAPI documents (user API and federation API) with Redocly's recommended
# rules (infra/contracts/redocly.yaml): 0 errors and 0 warnings, or the script fails.
# @redocly/cli is pinned by infra/contracts/package-lock.json and installed with npm ci.
set -euo pipefail
cd "$(dirname "$0")/../contracts"

if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is not on PATH; install Node.js (20 or later) to lint the OpenAPI contracts" >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error
# --max-problems 1000: list every problem, not the first 100.
npx --no-install redocly lint --config redocly.yaml --max-problems 1000 --format stylish \
  ../../contracts/Federation.Contracts/openapi/user-v1.json \
  ../../contracts/Federation.Protocol/openapi/federation-v1.json 2>&1 | tee /tmp/contracts-lint.$$.log
status=${PIPESTATUS[0]}
# Redocly exits 0 on warnings: they fail here too.
if grep -Eq '[0-9]+ warnings?' /tmp/contracts-lint.$$.log && ! grep -Eq '\b0 warnings' /tmp/contracts-lint.$$.log; then
  status=1
fi
rm -f /tmp/contracts-lint.$$.log
exit "$status"
