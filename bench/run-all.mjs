#!/usr/bin/env node
// `npm run bench`: every bench script against one broker (started here unless
// KAFKA_BOOTSTRAP_SERVERS is set), their tables collected in bench/RESULTS.md.
import {spawnSync} from 'node:child_process'
import {readdirSync, writeFileSync} from 'node:fs'
import {cpus, totalmem} from 'node:os'
import {join} from 'node:path'

import {ROOT, benchBroker} from './lib.mjs'

const only = process.argv.slice(2)
const scripts = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.mjs') && !['lib.mjs', 'run-all.mjs'].includes(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
const broker = await benchBroker()
const sections = []
try {
  for (const script of scripts) {
    process.stderr.write(`== ${script}\n`)
    const res = spawnSync(process.execPath, [join(ROOT, 'bench', script)], {
      env: {...process.env, KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap},
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
    process.stdout.write(res.stdout)
    sections.push(res.status === 0 ? res.stdout.trim() : `### ${script}\n\nFAILED (exit ${res.status})\n\n${res.stdout.trim()}`)
  }
} finally {
  await broker.stop()
}
const kcat = spawnSync('kcat', ['-V'], {encoding: 'utf8'}).stdout.split('\n')[0] ?? 'kcat ?'
const header = `# Benchmark results

Run with \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB,
Node ${process.version}, ${kcat.trim()}, Kafka's tools from the harness jars, one local KRaft broker.
Each table compares kafkit with a peer in the same run; ratios are the peer's time over kafkit's
unless the table says otherwise. Wall times on a shared 2-core machine vary by ±20 %.
`
writeFileSync(join(ROOT, 'bench/RESULTS.md'), `${header}\n${sections.join('\n\n')}\n`)
process.stderr.write('wrote bench/RESULTS.md\n')
const failed = sections.filter((section) => section.includes('\n\nFAILED (exit '))
if (failed.length > 0) {
  process.stderr.write(`${failed.length} bench script(s) failed: see bench/RESULTS.md\n`)
  process.exitCode = 1
}
