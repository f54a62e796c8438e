#!/bin/sh
# Benchmark mailscan (parse + full analysis, one core) against postal-mime
# (parse only) on the same generated corpus. Run from the repository root:
#   sh bench/mailscan/run.sh [N]
set -eu
N=${1:-1000}
DIR=${MAILSCAN_BENCH_DIR:-/tmp/mailscan-bench}
go run ./bench/mailscan/gen -out "$DIR" -n "$N"
echo "corpus: $N messages in $DIR, median size $(ls -l "$DIR" | awk 'NR>1{print $5}' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}') bytes"
MAILSCAN_BENCH_DIR="$DIR" go test -run '^$' -bench BenchmarkAnalyze -benchtime 3s -cpu 1 -benchmem ./mailscan/
(cd bench/mailscan && { [ -d node_modules/postal-mime ] || npm install --no-audit --no-fund --silent; } && node parse.mjs "$DIR" 3)
