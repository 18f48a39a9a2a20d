// npm's `prepare` script: builds dist/ and oclif.manifest.json (`npm run build`). npm runs it on
// `npm ci` / `npm install` in a checkout, on `npm pack` / `npm publish` (after prepack cleaned),
// and on `npm install -g <git URL>` / `npm install -g <path>` before the package is installed.
//
// A global install of a path or a git URL runs this with npm_config_global=true in the
// environment and, without the dev dependencies, `tsc` is not found (npm/cli#8440, open):
// - `npm install -g <path of a checkout>` links the checkout and runs this there: install the
//   dependencies into the checkout first (not globally); that install runs this script again,
//   now with typescript in place, and that run builds.
// - `npm install -g <git URL>`: npm's step that installs the dev dependencies into its clone
//   inherits the global flag, links the clone into the global prefix and runs this there; the
//   clone is deleted afterwards, so nothing done here can leave a working install. Say what
//   works instead: `npm pack <git URL>` (not global, so the dev dependencies are installed and
//   this builds), then `npm install -g` of that tarball.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'

const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']

function npmRun(args, env = process.env) {
  const res = spawnSync(npm[0], [...npm.slice(1), ...args], {stdio: 'inherit', env})
  if (res.error) throw res.error
  return res.status ?? 1
}

if (!existsSync('node_modules/typescript/package.json') && process.env.npm_config_global === 'true' && process.env._PACOTE_NO_PREPARE_) {
  process.stderr.write(
    'kafkit: npm install -g <git URL> cannot build kafkit (npm/cli#8440); install the tarball npm pack makes of it instead:\n' +
      '  npm install -g "./$(npm pack <git URL> | tail -1)"\n',
  )
  process.exit(1)
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
