// Parse-only baseline: reads every .eml in a folder and parses each with
// postal-mime, several rounds, reporting messages per second of wall time
// and of CPU time (one core). Usage: node parse.mjs DIR [ROUNDS]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import PostalMime from "postal-mime";

const dir = process.argv[2] ?? "/tmp/mailscan-bench";
const rounds = Number(process.argv[3] ?? 3);
const msgs = readdirSync(dir).filter((f) => f.endsWith(".eml")).sort().map((f) => readFileSync(join(dir, f)));
if (msgs.length === 0) {
  console.error(`no .eml files in ${dir}`);
  process.exit(2);
}
for (const m of msgs.slice(0, 50)) await PostalMime.parse(m); // warm up

const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
let n = 0;
for (let r = 0; r < rounds; r++) {
  for (const m of msgs) {
    await PostalMime.parse(m);
    n++;
  }
}
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSec = (cpu.user + cpu.system) / 1e6;
console.log(`postal-mime ${process.version}: ${n} messages, ${(n / wall).toFixed(0)} msgs/s wall, ${(n / cpuSec).toFixed(0)} msgs/cpu-s (parse only)`);
