// Packs kafkit the way a release does and installs the tarball the way a user does, for the
// install test (test/integration/install.test.ts) and the installed cold-start bench
// (bench/cold-start-installed.mjs).
//
// packFresh() copies the checkout's files (`git ls-files`: tracked plus untracked-but-not-ignored,
// so no dist/ and no oclif.manifest.json) into a temporary directory and runs `npm pack` there:
// the tarball is built by the package's own prepack/prepare scripts from a tree without build
// output, exactly like a fresh clone after `npm ci`. Packing a copy also leaves this checkout's
// dist/ alone while other tests run bin/run.js from it. The copy borrows this checkout's
// node_modules (the dev dependencies a build needs, as `npm ci` would have installed them).
import {spawn} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, unlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * The environment for a nested npm: without what an outer `npm test` / `npm run` exports about
 * its own project (npm_config_local_prefix would point the nested npm back at this checkout,
 * npm_config_prefix at the global prefix), keeping the user's cache, registry and config files.
 */
export function npmEnv(extra = {}) {
  const env = {...process.env}
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_(local_prefix|prefix|global_prefix|global|location)$)/i.test(key)) delete env[key]
  }
  return {...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra}
}

/** Runs a command, resolving with its output; rejects with the command line and its stderr tail. */
export function run(cmd, args, {cwd, env = npmEnv()} = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve({stdout, stderr})
      else reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${code}:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n')}`))
    })
  })
}

/**
 * The checkout's files as a fresh clone would have them (no build output), copied into dir: the
 * work tree's, or with KAFKIT_PACK_REF=<commit> (e.g. HEAD) that commit's, as `git archive` has
 * them (a shared work tree with someone else's half-done files still packs what was committed).
 */
export async function copySources(dir) {
  const ref = process.env.KAFKIT_PACK_REF
  if (ref) {
    await run('sh', ['-c', 'git archive --format=tar "$0" | tar -x -C "$1"', ref, dir], {cwd: ROOT, env: process.env})
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
    return
  }
  const {stdout} = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: ROOT, env: process.env})
  for (const file of stdout.split('\0')) {
    if (!file || file.endsWith('.tgz')) continue
    mkdirSync(join(dir, dirname(file)), {recursive: true})
    try {
      cpSync(join(ROOT, file), join(dir, file))
    } catch (err) {
      if (err.code !== 'ENOENT') throw err // deleted in the work tree, not yet in git
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
}

/** `npm pack` of a fresh copy of the checkout; returns the tarball's path. */
export async function packFresh(work = mkdtempSync(join(tmpdir(), 'kafkit-pack-'))) {
  const src = join(work, 'src')
  const out = join(work, 'out')
  mkdirSync(src)
  mkdirSync(out)
  await copySources(src)
  await run('npm', ['pack', '--pack-destination', out], {cwd: src})
  const tarballs = readdirSync(out).filter((f) => f.endsWith('.tgz'))
  if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.length} tarballs in ${out}`)
  return join(out, tarballs[0])
}

/**
 * `npm install -g` of a tarball into its own prefix, preferring the npm cache (`npm ci` filled
 * it with every dependency); returns the installed `kafkit` (prefix/bin/kafkit) and package dir.
 */
export async function installTarball(tarball, prefix) {
  await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {cwd: dirname(tarball)})
  return {bin: join(prefix, 'bin', 'kafkit'), dir: join(prefix, 'lib', 'node_modules', 'kafkit')}
}

/**
 * `npm install -g git+file://<repo>` into its own prefix, the repo a one-commit git repository of
 * a fresh copy of the checkout (what a user's `npm install -g git+https://...` clones): npm
 * clones it, installs its dev dependencies into the clone, runs prepare (the build) there, packs
 * it and installs the tarball. Returns the installed `kafkit` and package dir.
 */
export async function installGitUrl(work, prefix) {
  const repo = join(work, 'repo')
  mkdirSync(repo)
  await copySources(repo)
  // A clone has no node_modules: the build tools come from npm's preparation of the clone.
  unlinkSync(join(repo, 'node_modules'))
  const git = (...args) => run('git', ['-c', 'user.name=kafkit', '-c', 'user.email=kafkit@localhost', '-c', 'commit.gpgsign=false', ...args], {cwd: repo, env: process.env})
  await git('init', '-q')
  await git('add', '-A')
  await git('commit', '-q', '-m', 'kafkit')
  await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', `git+file://${repo}`], {cwd: work})
  return {bin: join(prefix, 'bin', 'kafkit'), dir: join(prefix, 'lib', 'node_modules', 'kafkit')}
}
