/**
 * Install like any npm CLI: `npm pack` of a fresh copy of the checkout (no dist/, no manifest:
 * the package's prepack/prepare scripts build them), `npm install -g` of that tarball into a
 * temporary prefix, then the installed `kafkit` runs from that prefix, away from the checkout.
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {ROOT, installGitUrl, installTarball, packFresh, run} from '../../scripts/pack-install.mjs'
import {kafkit, type CliResult} from '../helpers.js'

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

let work: string
let tarball: string
let installed: {bin: string; dir: string}

/** The installed binary, from a directory outside the checkout, without the repo's node_modules in reach. */
function installedKafkit(args: string[], bin = installed.bin): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: work,
      env: {
        ...process.env,
        NODE_PATH: '',
        PATH: `${join(work, 'prefix', 'bin')}:${process.env.PATH}`,
        KAFKA_BOOTSTRAP_SERVERS: inject('kafkaBootstrap'),
        KAFKIT_CONFIG: '/nonexistent/kafkit-config.yaml',
        NO_COLOR: '1',
        // Common in developers' shells; oclif then looks for TypeScript sources (and warned on
        // every command that typescript is missing) unless bin/run.js turns that off.
        NODE_ENV: 'development',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}))
  })
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kafkit-install-'))
  tarball = await packFresh(work)
  installed = await installTarball(tarball, join(work, 'prefix'))
}, 300_000)

afterAll(() => {
  if (work) rmSync(work, {recursive: true, force: true})
})

describe('npm pack + npm install -g of the tarball', () => {
  it('packs what runs and nothing of the development tree', async () => {
    expect(tarball.endsWith(`kafkit-${pkg.version}.tgz`)).toBe(true)
    const files = (await run('tar', ['-tzf', tarball], {env: process.env})).stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''))
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/run.js', 'oclif.manifest.json', 'schema/topics.schema.json']))
    expect(files.filter((f) => /^(src|test|bench|scripts|node_modules)\/|^tsconfig|^bin\/dev\.js$|\.tsbuildinfo$/.test(f))).toEqual([])
    // Every command the manifest names is in the tarball (oclif loads them from there).
    const manifest = JSON.parse(readFileSync(join(installed.dir, 'oclif.manifest.json'), 'utf8')) as {version: string; commands: Record<string, {relativePath: string[]}>}
    expect(manifest.version).toBe(pkg.version)
    const commandFiles = Object.values(manifest.commands).map((c) => c.relativePath.join('/'))
    expect(commandFiles).toContain('dist/commands/topics/lint.js')
    expect(commandFiles.filter((f) => !files.includes(f))).toEqual([])
  })

  it('installs the runtime dependencies only (no dev dependency, no build step)', () => {
    expect(existsSync(join(installed.dir, 'dist', 'commands', 'topics', 'lint.js'))).toBe(true)
    for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(join(installed.dir, 'node_modules', dep, 'package.json')), dep).toBe(true)
    const devOnly = Object.keys(pkg.devDependencies).filter((d) => !(d in pkg.dependencies))
    expect(devOnly).toEqual(expect.arrayContaining(['typescript', 'vitest', 'oclif']))
    expect(devOnly.filter((dep) => existsSync(join(installed.dir, 'node_modules', dep)))).toEqual([])
  })

  it('kafkit --version and --help run from the installed bin', async () => {
    const version = await installedKafkit(['--version'])
    expect(version.stderr).toBe('')
    expect(version.code).toBe(0)
    expect(version.stdout).toMatch(new RegExp(`^kafkit/${pkg.version.replaceAll('.', '\\.')} ${process.platform}-${process.arch} node-${process.version}\\n$`))
    const help = await installedKafkit(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('topics')
    expect(help.stdout).toContain('cluster')
  })

  it('kafkit topics lint prints what the checkout prints, for a valid and a broken file', async () => {
    for (const fixture of ['valid-layers.yaml', 'broken-schema.yaml']) {
      const file = join(ROOT, 'test', 'fixtures', 'topics', fixture)
      const fromTarball = await installedKafkit(['topics', 'lint', '-f', file])
      const fromCheckout = await kafkit(['topics', 'lint', '-f', file])
      expect(fromTarball).toEqual(fromCheckout)
    }
    const ok = await installedKafkit(['topics', 'lint', '-f', join(ROOT, 'test', 'fixtures', 'topics', 'valid-layers.yaml')])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/2 topics OK; 0 errors, 0 warnings\n$/)
  })

  it('kafkit cluster info talks to the test broker', async () => {
    const info = await installedKafkit(['cluster', 'info', '-o', 'json'])
    expect(info.stderr).toBe('')
    expect(info.code).toBe(0)
    const fromCheckout = await kafkit(['cluster', 'info', '-o', 'json'])
    expect(JSON.parse(info.stdout)).toEqual(JSON.parse(fromCheckout.stdout))
    expect(JSON.parse(info.stdout).brokers.length).toBeGreaterThan(0)
  })

  it('a connection failure is one line from the installed bin too', async () => {
    const res = await installedKafkit(['cluster', 'info', '--bootstrap-server', '127.0.0.1:1', '--timeout', '2s'])
    expect(res.code).not.toBe(0)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/^kafkit: /)
  })
})

// npm/cli#8440: a global install from git runs the prepare script without the dev dependencies,
// and npm's preparation of the clone links it into the global prefix, where the tarball was then
// extracted into the deleted clone (ENOENT). scripts/prepare.mjs works around both.
describe('npm install -g <git URL>', () => {
  let gitWork: string
  let fromGit: {bin: string; dir: string}

  beforeAll(async () => {
    gitWork = mkdtempSync(join(tmpdir(), 'kafkit-git-install-'))
    fromGit = await installGitUrl(gitWork, join(gitWork, 'prefix'))
  }, 600_000)

  afterAll(() => {
    if (gitWork) rmSync(gitWork, {recursive: true, force: true})
  })

  it('installs a built kafkit with the runtime dependencies only, and it runs', async () => {
    expect(existsSync(join(fromGit.dir, 'dist', 'commands', 'topics', 'lint.js'))).toBe(true)
    expect(existsSync(join(fromGit.dir, 'oclif.manifest.json'))).toBe(true)
    for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(join(fromGit.dir, 'node_modules', dep, 'package.json')), dep).toBe(true)
    // The build tools stayed in npm's clone (@types/node is also a runtime dependency of protobufjs).
    for (const dev of ['typescript', 'vitest', 'oclif', 'eslint']) expect(existsSync(join(fromGit.dir, 'node_modules', dev)), dev).toBe(false)
    expect((await installedKafkit(['--version'], fromGit.bin)).stdout).toBe(`kafkit/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    const file = join(ROOT, 'test', 'fixtures', 'topics', 'valid-layers.yaml')
    const lint = await installedKafkit(['topics', 'lint', '-f', file], fromGit.bin)
    expect(lint).toEqual(await kafkit(['topics', 'lint', '-f', file]))
    const info = await installedKafkit(['cluster', 'info', '-o', 'json'], fromGit.bin)
    expect(info.code, info.stderr).toBe(0)
    expect(JSON.parse(info.stdout).clusterId).toBeTruthy()
  })
})
