#!/usr/bin/env node
// `npm run demo`: start a local Kafka (if none is running), then run kafkit's main job against it:
// plan and apply the example topics.yaml, and show the result. Safe to re-run.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const runJs = `${root}bin/run.js`
const port = process.env.KAFKIT_DEMO_PORT ?? '9092'

function kafkit(args, {allowFail = false} = {}) {
  process.stdout.write(`\n$ kafkit ${args.join(' ')}\n`)
  const res = spawnSync(process.execPath, [runJs, ...args], {stdio: 'inherit', env: {...process.env, KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${port}`}})
  if (res.status !== 0 && !allowFail) process.exit(res.status ?? 1)
  return res.status
}

if (kafkit(['local', 'status'], {allowFail: true}) !== 0) kafkit(['local', 'start', '--port', port])
kafkit(['cluster', 'info'])
const hasPlan = existsSync(`${root}dist/commands/topics/plan.js`)
if (hasPlan) {
  kafkit(['topics', 'lint', '-f', 'topics.yaml', '--env', 'dev'])
  kafkit(['topics', 'plan', '-f', 'topics.yaml', '--env', 'dev', '--detailed-exitcode'], {allowFail: true})
  kafkit(['topics', 'apply', '-f', 'topics.yaml', '--env', 'dev', '--yes'])
  kafkit(['topics', 'plan', '-f', 'topics.yaml', '--env', 'dev', '--detailed-exitcode'])
}
kafkit(['topics', 'list'])
kafkit(['cluster', 'health'])
process.stdout.write('\nThe broker keeps running; stop it with: node bin/run.js local stop\n')
