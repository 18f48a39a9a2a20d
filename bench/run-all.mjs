#!/usr/bin/env node
// `npm run bench`: every bench script against one broker (started here unless
// KAFKA_BOOTSTRAP_SERVERS is set), their tables collected in bench/RESULTS.md.
// `npm run bench:scale` (this script with --scale): only the scale benches, bench/scale-*.mjs
// (10,000 topics, 5,000 groups; many minutes), each written into its own block of the "Scale"
// section of bench/RESULTS.md; the rest of the file is kept. Either takes names to run a part:
// `npm run bench:scale -- topics` runs bench/scale-topics.mjs only and replaces only its block.
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, totalmem} from 'node:os'
import {join} from 'node:path'

import {ROOT, benchBroker} from './lib.mjs'

const args = process.argv.slice(2)
const scale = args.includes('--scale')
const only = args.filter((a) => a !== '--scale')
const scripts = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.mjs') && !['lib.mjs', 'run-all.mjs'].includes(f))
  .filter((f) => f.startsWith('scale-') === scale)
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
const results = new Map()
const broker = await benchBroker()
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
    results.set(script, res.status === 0 ? res.stdout.trim() : `### ${script}\n\nFAILED (exit ${res.status})\n\n${res.stdout.trim()}`)
  }
} finally {
  await broker.stop()
}

const resultsFile = join(ROOT, 'bench/RESULTS.md')
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : ''
const SCALE_HEADING = '## Scale'
const scaleStart = previous.indexOf(`\n${SCALE_HEADING}\n`)
const kcat = spawnSync('kcat', ['-V'], {encoding: 'utf8'}).stdout?.split('\n')[0] ?? 'kcat ?'
const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${kcat.trim()}, Kafka's tools from the harness jars, one local KRaft broker`
const date = new Date().toISOString().slice(0, 10)

if (!scale) {
  const header = `# Benchmark results

Run with \`npm run bench\` on ${date}: ${machine.replace(', Node', ',\nNode')}.
Each table compares kafkit with a peer in the same run; ratios are the peer's time over kafkit's
unless the table says otherwise. Wall times on a shared 2-core machine vary by ±20 %.
`
  // The scale section is written by `npm run bench:scale` only: keep it.
  const kept = scaleStart === -1 ? '' : `\n${previous.slice(scaleStart + 1).trimEnd()}\n`
  writeFileSync(resultsFile, `${header}\n${[...results.values()].join('\n\n')}\n${kept}`)
} else {
  const intro = `${SCALE_HEADING}

\`npm run bench:scale\` runs only this section (bench/scale-*.mjs: 1,000 and 10,000 topics, 200 and
5,000 groups); \`npm run bench:scale -- topics\` runs one script and replaces only its block. Each
block says when it ran and the load average it ran under: the machine is shared, and a ratio
measured in one run (kafkit and its peer back to back) is what to compare, not a wall time alone.
`
  let section = scaleStart === -1 ? intro : previous.slice(scaleStart + 1)
  for (const [script, output] of results) {
    const begin = `<!-- bench/${script} -->`
    const end = `<!-- /bench/${script} -->`
    const block = `${begin}\n_${script}, ${date}, ${machine}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end._\n\n${output}\n${end}`
    const from = section.indexOf(begin)
    const to = section.indexOf(end)
    section = from !== -1 && to > from ? `${section.slice(0, from)}${block}${section.slice(to + end.length)}` : `${section.trimEnd()}\n\n${block}\n`
  }
  const before = scaleStart === -1 ? `${previous.trimEnd()}\n\n` : previous.slice(0, scaleStart + 1)
  writeFileSync(resultsFile, `${before}${section.trimEnd()}\n`)
}
process.stderr.write('wrote bench/RESULTS.md\n')
const failed = [...results.values()].filter((section) => section.includes('\n\nFAILED (exit '))
if (failed.length > 0) {
  process.stderr.write(`${failed.length} bench script(s) failed: see bench/RESULTS.md\n`)
  process.exitCode = 1
}
