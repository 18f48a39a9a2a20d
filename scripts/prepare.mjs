// npm's `prepare` script: builds dist/ and oclif.manifest.json (`npm run build`). npm runs it on
// `npm ci` / `npm install` in a checkout, on `npm pack` / `npm publish` (after prepack cleaned),
// and on `npm install -g <git URL>` / `npm install -g <path>` before the package is installed.
//
// A global install of a git URL or of a path runs this with npm_config_global=true in the
// environment, and npm's own "install the dev dependencies first" step inherits it, so nothing
// is installed where the build looks and `tsc` is not found (npm/cli#8440, open). Then install
// the dependencies into this directory first (not globally); that install runs this script
// again, now with typescript in place, and that run builds.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'

const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']

function npmRun(args, env = process.env) {
  const res = spawnSync(npm[0], [...npm.slice(1), ...args], {stdio: 'inherit', env})
  if (res.error) throw res.error
  return res.status ?? 1
}

if (!existsSync('node_modules/typescript/package.json') && process.env.npm_config_global === 'true') {
  const env = {...process.env}
  for (const key of Object.keys(env)) {
    if (/^npm_config_(global|prefix|global_prefix|local_prefix|location)$/i.test(key)) delete env[key]
  }
  process.stderr.write('kafkit prepare: installing the build tools into this directory (npm/cli#8440)\n')
  process.exit(npmRun(['install', '--global=false', '--include=dev', '--no-save', '--no-audit', '--no-fund'], env))
}
process.exit(npmRun(['run', 'build']))
