#!/bin/sh
# Measures ally's tone engine and alex.js in the same run, on the same corpora
# (see docs/tone.md, "Performance"). Run from the repository root:
#   sh bench/tone/run.sh [seconds]
set -eu
secs=${1:-5}
echo "== ally tone engine (Go, one goroutine locked to one thread)"
go run ./bench/tone -d "${secs}s"
echo "== alex.js $(node -p 'require("./bench/tone/node_modules/alex/package.json").version' 2>/dev/null || echo '(run npm install in bench/tone)') (node $(node --version))"
cd bench/tone
[ -d node_modules/alex ] || npm install --no-audit --no-fund >/dev/null
node alex.mjs "$secs"
