// npm's `prepare` script: builds dist/ and oclif.manifest.json (`npm run build`). npm runs it on
// `npm ci` / `npm install` in a checkout, on `npm pack` / `npm publish` (after prepack cleaned),
// and on `npm install -g <git URL>` / `npm install -g <path>` before the package is installed.
//
// A global install of a path or a git URL runs this with npm_config_global=true in the
// environment and, without the dev dependencies, `tsc` is not found (npm/cli#8440, open):
// - `npm install -g <path of a checkout>` links the checkout and runs this there: install the
//   dependencies into the checkout first (not globally); that install runs this script again,
//   now with typescript in place, and that run builds.
// - `npm install -g <git URL>`: npm clones into a temporary directory and "prepares" the clone
//   with an install that inherits the global flag. Here too the dev dependencies go into the
//   clone and the nested run builds it. But that install also moves the global
//   lib/node_modules/kafkit aside (to .kafkit-<random>, where the outer install had already put
//   kafkit's runtime dependencies) and links the clone there; npm then packs the clone, deletes
//   it and extracts the tarball through that link, into the deleted clone (ENOENT). So once the
//   clone is built, the link goes, the directory comes back with the runtime dependencies
//   (restoreGlobalDirectory), and the tarball installs into it as from the registry.
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, unlinkSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'

const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']

function npmRun(args, env = process.env) {
  const res = spawnSync(npm[0], [...npm.slice(1), ...args], {stdio: 'inherit', env})
  if (res.error) throw res.error
  return res.status ?? 1
}

/**
 * The runtime dependencies from the clone's node_modules into `to`. Depending on timing, npm
 * extracted them into the directory moved aside (restored above) or, through the link, into the
 * clone, which npm deletes: a copy of the clone's makes the result the same either way.
 */
function copyRuntimeDependencies(clone, to) {
  // (without the preparation's npm_config_include=dev, which would win over --omit=dev)
  const env = cleanNpmEnv()
  for (const key of Object.keys(env)) if (/^npm_config_(include|omit|production|dev|only)$/i.test(key)) delete env[key]
  const res = spawnSync(npm[0], [...npm.slice(1), 'ls', '--omit=dev', '--all', '--parseable'], {cwd: clone, encoding: 'utf8', env})
  const top = new Set()
  for (const path of (res.stdout ?? '').split('\n')) {
    const rel = path.startsWith(`${clone}/node_modules/`) ? path.slice(clone.length + '/node_modules/'.length) : undefined
    if (!rel) continue
    const parts = rel.split('/')
    top.add(parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0])
  }
  for (const dep of top) cpSync(join(clone, 'node_modules', dep), join(to, dep), {recursive: true, force: true})
}

/** The environment without what makes a nested npm global or points it at another prefix. */
function cleanNpmEnv() {
  const env = {...process.env}
  for (const key of Object.keys(env)) {
    if (/^npm_config_(global|prefix|global_prefix|local_prefix|location)$/i.test(key)) delete env[key]
  }
  return env
}

/**
 * Undoes what the git-clone preparation did to the global prefix: the package's directory there is
 * a link to this clone again a directory (the one moved aside, with the dependencies the outer
 * install put there, when there is exactly one), and the bin link into the clone is removed (the
 * outer install links the bin again).
 */
function restoreGlobalDirectory(name) {
  const prefix = process.env.npm_config_prefix ?? process.env.npm_config_global_prefix
  if (!prefix) return
  const here = realpathSync(process.cwd())
  const intoClone = (link) => {
    try {
      if (!lstatSync(link).isSymbolicLink()) return false
      const target = resolve(dirname(link), readlinkSync(link))
      return target === here || target.startsWith(`${here}/`)
    } catch {
      return false
    }
  }
  // A Unix prefix keeps packages in lib/node_modules and bins in bin; Windows in node_modules and the prefix.
  for (const modules of [join(prefix, 'lib', 'node_modules'), join(prefix, 'node_modules')]) {
    const dir = join(modules, name)
    if (!intoClone(dir)) continue
    unlinkSync(dir)
    const movedAside = existsSync(modules) ? readdirSync(modules).filter((entry) => entry.startsWith(`.${basename(name)}-`)) : []
    if (movedAside.length === 1) renameSync(join(modules, movedAside[0]), dir)
    else mkdirSync(dir)
    copyRuntimeDependencies(here, join(dir, 'node_modules'))
  }
  for (const bin of [join(prefix, 'bin', name), join(prefix, name)]) if (intoClone(bin)) unlinkSync(bin)
}

if (!existsSync('node_modules/typescript/package.json') && process.env.npm_config_global === 'true') {
  const env = cleanNpmEnv()
  process.stderr.write('kafkit prepare: installing the build tools into this directory (npm/cli#8440)\n')
  const status = npmRun(['install', '--global=false', '--include=dev', '--no-save', '--no-audit', '--no-fund'], env)
  // npm's git-clone preparation (npm install -g <git URL>) sets _PACOTE_NO_PREPARE_.
  if (status === 0 && process.env._PACOTE_NO_PREPARE_ !== undefined) restoreGlobalDirectory(process.env.npm_package_name ?? 'kafkit')
  process.exit(status)
}
process.exit(npmRun(['run', 'build']))
