#!/usr/bin/env node
// `npm run demo`: start a local Kafka (if none is running), then run kafkit's main job against it:
// plan and apply the example topics.yaml, and show the result; then produce, consume and look into
// a dead-letter topic. Safe to re-run.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const runJs = `${root}bin/run.js`
const port = process.env.KAFKIT_DEMO_PORT ?? '9092'

function kafkit(args, {allowFail = false, input} = {}) {
  process.stdout.write(`\n$ ${input === undefined ? '' : `printf '${input.replaceAll('\n', '\\n')}' | `}kafkit ${args.join(' ')}\n`)
  const res = spawnSync(process.execPath, [runJs, ...args], {
    input,
    stdio: [input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'],
    env: {...process.env, KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${port}`},
  })
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
if (hasPlan) {
  kafkit(['produce', 'orders.order.created', '--key-separator', ':'], {input: 'order-1:{"id":1}\norder-2:{"id":2}\n'})
  kafkit(['consume', 'orders.order.created', '--from-beginning', '-n', '2', '--format', '%p@%o %k %v\\n'])
  // One dead-lettered record in the header format of the seeds (original_topic, error_type, ...).
  const failed = JSON.stringify({
    key: 'pay-7',
    value: {payment_id: 7, amount: 12.5},
    headers: {original_topic: 'orders.payment.completed', original_partition: '0', original_offset: '7', error_type: 'TimeoutError', error_message: 'gateway timed out', failed_at: new Date().toISOString()},
  })
  kafkit(['produce', 'orders.payment.dlq', '--format', 'json'], {input: `${failed}\n`})
  kafkit(['dlq', 'inspect', 'orders.payment.dlq'])
  kafkit(['dlq', 'replay', 'orders.payment.dlq', '--dry-run'])
}
process.stdout.write('\nThe broker keeps running; stop it with: node bin/run.js local stop\n')
