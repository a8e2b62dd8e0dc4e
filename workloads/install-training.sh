#!/usr/bin/env bash
# Publishes the reference training workload to <prefix>/lib, lists every published file's sha256 in
# <prefix>/SHA256SUMS, and writes <prefix>/train.sh (from workloads/train.sh) that checks that list
# before it runs the workload. Prints the line to pin it in a nation's allow-list (docs/workloads.md).
# usage: workloads/install-training.sh <prefix>     e.g. /opt/federation/training
set -euo pipefail
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 <prefix>" >&2; exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(mkdir -p "$1" && cd "$1" && pwd)
dotnet_path=$(readlink -f "$(command -v dotnet)") || { echo "error: dotnet is not on PATH" >&2; exit 1; }
rm -rf "$prefix/lib"
dotnet publish "$here/Federation.Workloads.Training/Federation.Workloads.Training.csproj" -c Release -r linux-x64 --self-contained false -nologo \
  -clp:ErrorsOnly -o "$prefix/lib" >&2
(cd "$prefix/lib" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum) > "$prefix/SHA256SUMS"
sums=$(sha256sum "$prefix/SHA256SUMS" | cut -d' ' -f1)
sed -e "s#@PREFIX@#$prefix#" -e "s#@SUMS_SHA256@#$sums#" -e "s#@DOTNET@#$dotnet_path#" "$here/train.sh" > "$prefix/train.sh"
chmod 0755 "$prefix/train.sh"
chmod -R a+rX "$prefix"
echo "installed $prefix/train.sh; allow-list it with:"
echo "  --Federation:Workloads:N:Name=train --Federation:Workloads:N:Version=1.0 --Federation:Workloads:N:Path=$prefix/train.sh --Federation:Workloads:N:Sha256=$(sha256sum "$prefix/train.sh" | cut -d' ' -f1)"
