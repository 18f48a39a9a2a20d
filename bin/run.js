#!/usr/bin/env node
import {readFileSync} from 'node:fs'

// `kafkit --version` answers without loading oclif (about 100 ms of module loading): the same line
// oclif prints, from package.json. Scripts and shell prompts call it often.
const pkg = process.argv.length === 3 && process.argv[2] === '--version' ? packageJson() : undefined
if (pkg) {
  process.stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
  process.exit(0)
}

/** This package's package.json, or undefined where it is not beside bin/ (oclif then answers). */
function packageJson() {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  } catch {
    return undefined
  }
}

// Silence kafkajs's partitioner notice before anything can load kafkajs.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1'
// oclif checks package.json's engines with the semver package on every start (~30 ms of CPU, a
// tenth of `kafkit topics lint`); the same check, without loading anything:
process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number)
if (nodeMajor < 20 || (nodeMajor === 20 && nodeMinor < 19)) {
  process.emitWarning(`Node version must be >=20.19 to use this CLI. Current node version: ${process.versions.node}`)
}
// (loaded here, not imported at the top, so that --version above never loads it; a bundler may
// hand the CommonJS module over as `default`)
const core = await import('@oclif/core')
const {execute, settings} = core.execute ? core : core.default

// This entry point runs the compiled dist/ only (bin/dev.js runs the TypeScript sources). Without
// this, oclif looks for TypeScript sources whenever NODE_ENV is "development" or "test": it loads
// the typescript package to read tsconfig.json and tries to register tsx/ts-node, which costs
// hundreds of milliseconds per command, and an installed kafkit (no typescript) prints
// "Warning: Could not find typescript ..." on every command.
settings.enableAutoTranspile = false

await execute({dir: import.meta.url})
// Every command disconnects its clients; if a stray socket or timer still holds the event loop,
// do not hang a CI job over it once output has had time to drain.
setTimeout(() => process.exit(), 2000).unref()
