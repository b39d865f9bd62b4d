#!/bin/sh
# Builds zccpd as it was at a commit, for the benchmarks' "baseline build" rows (BaselineBroker):
#   DIR=$(tests/Systems/Zccp/Zccp.Benchmarks/build-baseline.sh COMMIT)
#   ZCCP_BASELINE_DIR=$DIR dotnet run -c Release --project tests/Systems/Zccp/Zccp.Benchmarks -- --filter '*FanOut*'
# The commit's tree is exported (git archive) to a temporary directory and built there, so the
# working tree is not touched. Prints the output directory.
set -eu
commit=${1:?usage: build-baseline.sh COMMIT [OUTPUT-DIR]}
out=${2:-${TMPDIR:-/tmp}/zccpd-baseline-$commit}
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git archive "$commit" | tar -x -C "$src"
dotnet build "$src/src/Systems/Zccp/Zccpd/Zccpd.csproj" -c Release -o "$out" >&2
echo "$out"
