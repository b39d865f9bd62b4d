#!/usr/bin/env bash
# 256 MiB `zpipes write | zpipes read` through a zbroker process over tcp://127.0.0.1, timed from
# the start of both CLI processes to the exit of both (CLI start-up included), as the issue measured
# the original C zbroker. Each window size runs RUNS times, alternating; the best and the median are
# printed, and per run the CPU seconds (user + system) of the writer, the reader and zbroker: unlike
# the wall time, they barely move when other work shares the cores. Usage (from the repository root, after a Release build of the CLI and zbroker):
#
#   dotnet build -c Release src/Systems/Zpipes/Zpipes.Cli && dotnet build -c Release src/Systems/Zpipes/Zbroker
#   bash tests/Systems/Zpipes/Zpipes.Benchmarks/cli-transfer.sh [MiB=256] [RUNS=5] [WINDOWS="8 1"]
set -euo pipefail
mib=${1:-256}
runs=${2:-5}
windows=${3:-"8 1"}
root=$(cd "$(dirname "$0")/../../../.." && pwd)
zpipes="$root/src/Systems/Zpipes/Zpipes.Cli/bin/Release/net10.0/zpipes.dll"
zbroker="$root/src/Systems/Zpipes/Zbroker/bin/Release/net10.0/zbroker.dll"
work=$(mktemp -d)
trap 'kill "$broker_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
head -c $((mib * 1024 * 1024)) /dev/urandom > "$work/data"

dotnet "$zbroker" --bind 'tcp://127.0.0.1:*' > "$work/broker.out" 2> "$work/broker.err" &
broker_pid=$!
for _ in $(seq 100); do
    endpoint=$(sed -n 's/^zbroker: serving ZPIPES on //p' "$work/broker.out")
    [ -n "$endpoint" ] && break
    sleep 0.1
done
[ -n "$endpoint" ] || { echo "zbroker did not start" >&2; exit 1; }
echo "zbroker on $endpoint; $mib MiB per transfer; load: $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A times
tick=$(getconf CLK_TCK)
# zbroker's CPU seconds so far (utime + stime of /proc/PID/stat).
broker_cpu() { awk -v t="$tick" '{ print ($14 + $15) / t }' "/proc/$broker_pid/stat"; }
for run in $(seq "$runs"); do
    for window in $windows; do
        pipe="p$run-$window"
        broker_before=$(broker_cpu)
        start=$(date +%s.%N)
        /usr/bin/time -o "$work/reader.cpu" -f '%U %S' dotnet "$zpipes" -e "$endpoint" --window "$window" read "$pipe" > "$work/copy" &
        reader=$!
        /usr/bin/time -o "$work/writer.cpu" -f '%U %S' dotnet "$zpipes" -e "$endpoint" --window "$window" write "$pipe" < "$work/data"
        wait "$reader"
        end=$(date +%s.%N)
        broker_after=$(broker_cpu)
        cmp -s "$work/data" "$work/copy" || { echo "window $window: the copy differs" >&2; exit 1; }
        seconds=$(echo "$end - $start" | bc -l)
        times[$window]="${times[$window]:-} $seconds"
        writer_cpu=$(awk '{ print $1 + $2 }' "$work/writer.cpu")
        reader_cpu=$(awk '{ print $1 + $2 }' "$work/reader.cpu")
        printf 'run %d window %-3s %.3f s   CPU s: writer %.2f reader %.2f zbroker %.2f\n' "$run" "$window" "$seconds" \
            "$writer_cpu" "$reader_cpu" "$(echo "$broker_after - $broker_before" | bc -l)"
    done
done
for window in $windows; do
    sorted=$(tr ' ' '\n' <<< "${times[$window]}" | grep . | sort -n)
    best=$(head -1 <<< "$sorted")
    median=$(sed -n "$(( (runs + 1) / 2 ))p" <<< "$sorted")
    printf 'window %-3s best %.3f s, median %.3f s, best %.0f MB/s\n' "$window" "$best" "$median" "$(echo "$mib * 1048576 / $best / 1000000" | bc -l)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
