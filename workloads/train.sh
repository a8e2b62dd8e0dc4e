#!/usr/bin/env bash
# The reference training workload (docs/workloads.md) as a nation allow-lists it. This file is a
# template: workloads/install-training.sh publishes the workload, fills in the three values below
# and writes the result as <prefix>/train.sh. Pin THAT file's sha256 in Federation:Workloads; it pins
# the published files in turn (their list and digests, SHA256SUMS, checked before every run).
set -euo pipefail
prefix='@PREFIX@'
sums_sha256='@SUMS_SHA256@'
dotnet='@DOTNET@'
case "$prefix$sums_sha256$dotnet" in
  *@*) echo "error: this is the template; install with workloads/install-training.sh <prefix>" >&2; exit 3 ;;
esac
if ! echo "$sums_sha256  $prefix/SHA256SUMS" | sha256sum --quiet --check - >/dev/null 2>&1; then
  echo "error: $prefix/SHA256SUMS is not the list this script was installed with" >&2; exit 3
fi
if ! (cd "$prefix/lib" && sha256sum --quiet --strict --check ../SHA256SUMS >&2) \
   || [ "$(cd "$prefix/lib" && find . -type f | LC_ALL=C sort)" != "$(sed 's/^[0-9a-f]*  //' "$prefix/SHA256SUMS")" ]; then
  echo "error: the published workload under $prefix/lib differs from its SHA256SUMS" >&2; exit 3
fi
exec "$dotnet" "$prefix/lib/Federation.Workloads.Training.dll" "$@"
