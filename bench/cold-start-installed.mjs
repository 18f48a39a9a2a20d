#!/usr/bin/env node
// Cold start of kafkit installed the way a user installs it (`npm pack` of a fresh copy, then
// `npm install -g` of the tarball into a temporary prefix), against the checkout's bin/run.js and
// a bare `node -e 0`. Rounds are interleaved (one run of each command per round) so a change of
// machine load hits all alike; wall and CPU (user + sys) are medians. KAFKIT_PREFIX=<dir> reuses
// an existing install there instead of packing and installing.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

import {installTarball, packFresh} from '../scripts/pack-install.mjs'
import {ROOT, printTable} from './lib.mjs'

const runs = Number(process.env.BENCH_RUNS ?? 20)
let work
let bin
if (process.env.KAFKIT_PREFIX) {
  bin = join(process.env.KAFKIT_PREFIX, 'bin', 'kafkit')
} else {
  work = mkdtempSync(join(tmpdir(), 'kafkit-bench-install-'))
  process.stderr.write('packing and installing (npm pack, npm install -g) ...\n')
  ;({bin} = await installTarball(await packFresh(work), join(work, 'prefix')))
}

/** One run: wall ms and CPU ms (user + sys of the child, from GNU time). */
function once(argv) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn('/usr/bin/time', ['-f', '__CPU=%U %S', ...argv], {cwd: tmpdir(), stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - start) / 1e6
      const m = /__CPU=([\d.]+) ([\d.]+)/.exec(stderr)
      if (code !== 0 || !m) return reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`))
      resolve({wall, cpu: (Number(m[1]) + Number(m[2])) * 1000})
    })
  })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const lint = ['topics', 'lint', '-f', join(ROOT, 'topics.yaml')]
const commands = [
  ['node -e 0 (Node start-up alone)', [process.execPath, '-e', '0']],
  ['installed: kafkit --version', [bin, '--version']],
  ['checkout: node bin/run.js --version', [process.execPath, join(ROOT, 'bin/run.js'), '--version']],
  ['installed: kafkit topics lint (offline)', [bin, ...lint]],
  ['checkout: node bin/run.js topics lint', [process.execPath, join(ROOT, 'bin/run.js'), ...lint]],
]
const results = commands.map(() => ({wall: [], cpu: []}))
const loadBefore = loadavg()[0]
for (const [, argv] of commands) await once(argv) // warm the page cache
for (let round = 0; round < runs; round++) {
  for (const [i, [, argv]] of commands.entries()) {
    const r = await once(argv)
    results[i].wall.push(r.wall)
    results[i].cpu.push(r.cpu)
  }
}
const loadAfter = loadavg()[0]
printTable(`cold start, installed from the tarball vs the checkout (median of ${runs}, load ${loadBefore.toFixed(1)}-${loadAfter.toFixed(1)})`, ['command', 'wall', 'CPU (user+sys)'], commands.map(([name], i) => [name, `${median(results[i].wall).toFixed(0)} ms`, `${median(results[i].cpu).toFixed(0)} ms`]))
if (work) rmSync(work, {recursive: true, force: true})
