// Runs alex.js (npm "alex") on the same labelled corpora as ally's tone
// engine: how many blaming messages it flags, and messages per second on the
// same ~120-character messages that bench/tone/main.go uses.
//
//   cd bench/tone && npm install && node alex.mjs [seconds] [corpus.jsonl...]
import {readFileSync} from 'node:fs'
import {text as alex} from 'alex'

const args = process.argv.slice(2)
const seconds = Number(args[0] ?? 5)
const files = args.length > 1 ? args.slice(1) : ['../../tone/testdata/corpus.jsonl', '../../tone/testdata/corpus_holdout.jsonl']

const items = files.flatMap((f) =>
  readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)))

let blaming = 0
let flagged = 0
let falseAlarms = 0
for (const it of items) {
  const hit = alex(it.text).messages.length > 0
  if (it.blame) {
    blaming++
    if (hit) flagged++
  } else if (hit) {
    falseAlarms++
  }
}

// The same joining as joinTo in main.go: neighbours until at least 100 bytes.
const msgs = []
let cur = ''
for (const it of items) {
  cur = cur === '' ? it.text : cur + ' ' + it.text
  if (Buffer.byteLength(cur) >= 100) {
    msgs.push(cur)
    cur = ''
  }
}

const lat = []
const cpu0 = process.cpuUsage()
const start = process.hrtime.bigint()
const limit = BigInt(Math.round(seconds * 1e9))
let n = 0
while (process.hrtime.bigint() - start < limit) {
  for (const m of msgs) {
    const t = process.hrtime.bigint()
    alex(m)
    lat.push(Number(process.hrtime.bigint() - t) / 1e3)
  }
  n += msgs.length
}
const wall = Number(process.hrtime.bigint() - start) / 1e9
lat.sort((a, b) => a - b)
const pct = (p) => lat[Math.floor(p * (lat.length - 1))].toFixed(0)
const cpu = process.cpuUsage(cpu0)
console.log(`corpus: ${items.length} messages, ${blaming} blaming, ${flagged} of them flagged by alex (and ${falseAlarms} non-blaming ones)`)
console.log(`bench: ${msgs.length} messages, ${n} checks in ${wall.toFixed(2)}s`)
console.log(`throughput: ${(n / wall).toFixed(0)} messages/s (wall clock), ${(n / ((cpu.user + cpu.system) / 1e6)).toFixed(0)} messages/s per CPU-second of the process during the loop`)
console.log(`latency: p50 ${pct(0.5)}µs, p99 ${pct(0.99)}µs`)
