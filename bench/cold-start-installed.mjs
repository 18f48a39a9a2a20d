#!/usr/bin/env node
// Cold start of kafkit installed the way a user installs it (`npm pack` of a fresh copy, then
// `npm install -g` of the tarball into a temporary prefix), against the checkout's bin/run.js and
// a bare `node -e 0`. Rounds are interleaved (one run of each command per round) so a change of
// machine load hits all alike; wall and CPU (user + sys) are medians. KAFKIT_PREFIX=<dir> reuses
// an existing install there instead of packing and installing.
//
// Also a candidate, not what ships: the installed package bundled with esbuild (bin/run.js and every
// command, @oclif/core and the other pure-JS dependencies inlined, code split into shared chunks;
// kafkajs and the codecs stay external), commands pointed at the bundle. Needs esbuild in
// node_modules (tsx brings it); skipped without.
import {spawn, spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

import {installTarball, packFresh} from '../scripts/pack-install.mjs'
import {ROOT, printTable} from './lib.mjs'

const runs = Number(process.env.BENCH_RUNS ?? 20)
const work = mkdtempSync(join(tmpdir(), 'kafkit-bench-install-'))
let bin
let dir
if (process.env.KAFKIT_PREFIX) {
  bin = join(process.env.KAFKIT_PREFIX, 'bin', 'kafkit')
  dir = join(process.env.KAFKIT_PREFIX, 'lib', 'node_modules', 'kafkit')
} else {
  process.stderr.write('packing and installing (npm pack, npm install -g) ...\n')
  ;({bin, dir} = await installTarball(await packFresh(work), join(work, 'prefix')))
}

/** A copy of the installed package run from an esbuild bundle; its entry point, or undefined. */
function bundled() {
  const esbuild = join(ROOT, 'node_modules', '.bin', 'esbuild')
  if (!existsSync(esbuild)) return undefined
  const copy = join(work, 'bundled')
  cpSync(dir, copy, {recursive: true})
  cpSync(join(copy, 'bin', 'run.js'), join(copy, 'bin', 'entry.mjs'))
  const commands = (d) => readdirSync(join(copy, d), {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? commands(join(d, e.name)) : e.name.endsWith('.js') ? [join(d, e.name)] : []))
  const external = ['kafkajs', 'kafkajs/*', 'lz4-napi', 'kafkajs-snappy', '@bokuweb/zstd-wasm'].map((e) => `--external:${e}`)
  const res = spawnSync(esbuild, ['bin/entry.mjs', ...commands('dist/commands'), '--bundle', '--splitting', '--platform=node', '--format=esm', '--target=node20', '--minify', '--outbase=.', '--outdir=bundle', ...external, "--banner:js=import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);", '--log-level=warning'], {cwd: copy, stdio: 'inherit'})
  if (res.status !== 0) return undefined
  const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'))
  pkg.oclif.commands = './bundle/dist/commands'
  writeFileSync(join(copy, 'package.json'), JSON.stringify(pkg))
  const manifest = JSON.parse(readFileSync(join(copy, 'oclif.manifest.json'), 'utf8'))
  for (const c of Object.values(manifest.commands)) c.relativePath = ['bundle', ...c.relativePath]
  writeFileSync(join(copy, 'oclif.manifest.json'), JSON.stringify(manifest))
  return join(copy, 'bundle', 'bin', 'entry.js')
}
const bundle = bundled()

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
  ...(bundle
    ? [
        ['candidate, esbuild bundle: --version', [process.execPath, bundle, '--version']],
        ['candidate, esbuild bundle: topics lint', [process.execPath, bundle, ...lint]],
      ]
    : []),
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
rmSync(work, {recursive: true, force: true})
