/**
 * Record headers exactly as written: an ordered list of (name, bytes or null), names repeating and
 * interleaving, any name at all. Records written by the Java client and by kcat, read by kafkit,
 * copied through `consume -o json | produce --format json`, and replayed from a DLQ; kcat reads
 * every result back for the comparison.
 */
import {fileURLToPath} from 'node:url'

import {describe, expect, inject, it} from 'vitest'

import {runKafkaTool} from '../../src/local/harness.js'
import {createTopic} from '../dlq-helpers.js'
import {kafkit, kafkitBytes, kcat, uniqueName} from '../helpers.js'

const HEADER_PRODUCER = fileURLToPath(new URL('../fixtures/java/HeaderProducer.java', import.meta.url))

/** Writes records with the Java client: per line key, value, then name=value or a bare name (null value), tab-separated. */
function javaProduce(topic: string, lines: string[][]): void {
  // Run from source (java -cp '<kafka lib>/*' HeaderProducer.java), on the jars Kafka's own tools use.
  const res = runKafkaTool(HEADER_PRODUCER, [inject('kafkaBootstrap'), topic], {input: lines.map((l) => l.join('\t')).join('\n') + '\n'})
  expect(res.status, res.stderr).toBe(0)
  expect(res.stdout).toContain(`sent ${lines.length}`)
}

/** kcat -J's headers of every record: ["name", "value" or null, ...]. */
function kcatHeaders(topic: string): unknown[][] {
  const res = kcat(['-C', '-t', topic, '-e', '-q', '-J', '-X', 'isolation.level=read_committed'])
  expect(res.status, res.stderr).toBe(0)
  return res.stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as {headers?: unknown[]}).headers ?? [])
}

async function newTopic(prefix: string): Promise<string> {
  const topic = uniqueName(prefix)
  await createTopic(inject('kafkaBootstrap'), topic, 1)
  return topic
}

/** Interleaved repeats, a null value, an empty value and every Object.prototype name users met. */
const JAVA_HEADERS = ['x=1', 'y=2', 'x=3', 'n', 'e=', '__proto__=p', 'constructor=c', 'toString=t', 'hasOwnProperty=h', 'valueOf=v']
const AS_KCAT_J = ['x', '1', 'y', '2', 'x', '3', 'n', null, 'e', '', '__proto__', 'p', 'constructor', 'c', 'toString', 't', 'hasOwnProperty', 'h', 'valueOf', 'v']

describe('headers written by the Java client and kcat', () => {
  it('consume -o json and %h show the exact list: order, repeats, null, built-in names', async () => {
    const topic = await newTopic('headers.read')
    javaProduce(topic, [['k1', 'java', ...JAVA_HEADERS]])
    // kcat: -H name without '=' is a null value too.
    const written = kcat(['-P', '-t', topic, '-k', 'k2', ...JAVA_HEADERS.flatMap((h) => ['-H', h])], {input: 'kcat\n'})
    expect(written.status, written.stderr).toBe(0)
    expect(kcatHeaders(topic)).toEqual([AS_KCAT_J, AS_KCAT_J])

    const json = await kafkit(['consume', topic, '--from-beginning', '-e', '-o', 'json'])
    expect(json.code, json.stderr).toBe(0)
    const records = json.stdout.trim().split('\n').map((line) => JSON.parse(line))
    expect(records.map((r) => [r.value, r.headers])).toEqual([
      ['java', AS_KCAT_J],
      ['kcat', AS_KCAT_J],
    ])

    const template = await kafkit(['consume', topic, '--from-beginning', '-e', '-f', '%v %h\\n'])
    const h = 'x=1,y=2,x=3,n,e=,__proto__=p,constructor=c,toString=t,hasOwnProperty=h,valueOf=v'
    expect(template.stdout).toBe(`java ${h}\nkcat ${h}\n`)
  })

  it('the copy pipe writes the same headers byte for byte, kcat reading both topics', async () => {
    const source = await newTopic('headers.copy.src')
    const copy = await newTopic('headers.copy.dst')
    javaProduce(source, [['k1', 'v1', ...JAVA_HEADERS], ['', 'no headers']])
    // Binary and empty values of a repeated header, written by kafkit itself (the object form).
    const input = '{"key":"k3","value":"v3","headers":{"b":[{"base64":"/4AB"},""]}}\n'
    expect((await kafkit(['produce', source, '--format', 'json'], {input})).code).toBe(0)

    const consumed = await kafkitBytes(['consume', source, '--from-beginning', '-e', '-o', 'json'])
    expect(consumed.code, consumed.stderr).toBe(0)
    const produced = await kafkit(['produce', copy, '--format', 'json'], {input: consumed.stdout})
    expect(produced.code, produced.stderr).toBe(0)
    expect(produced.stderr).toContain('sent 3, failed 0')

    // Sizes first, so any bytes compare exactly; kcat prints a null header value as NULL.
    const raw = (topic: string) => kcat(['-C', '-t', topic, '-e', '-q', '-f', '%K %S %T|%k|%s|%h\n']).stdout
    expect(raw(copy)).toEqual(raw(source))
    expect(raw(copy).toString('latin1')).toContain('|k3|v3|b=\u00ff\u0080\u0001,b=\n')
    expect(kcatHeaders(copy)).toEqual(kcatHeaders(source))
    expect(kcatHeaders(copy)[0]).toEqual(AS_KCAT_J)
  })

  it('produce -H keeps built-in names and repeats in order', async () => {
    const topic = await newTopic('headers.produce')
    const flags = ['constructor=c', '__proto__=p', 'x=1', 'toString=', 'x=2', 'hasOwnProperty=h', 'valueOf=v']
    const res = await kafkit(['produce', topic, ...flags.flatMap((f) => ['-H', f])], {input: 'one\n'})
    expect(res.code, res.stderr).toBe(0)
    expect(kcatHeaders(topic)).toEqual([flags.flatMap((f) => f.split('='))])
  })
})

describe('dlq replay of records with null-valued and built-in-named application headers', () => {
  it('--dry-run and the replay carry them in order; the target holds them exactly', async () => {
    const dlq = await newTopic('headers.dlq')
    const original = await newTopic('headers.orders')
    const metadata = [`original_topic=${original}`, 'original_partition=0', 'original_offset=5', 'error_type=ValueError', 'error_message=bad', 'failed_at=2026-11-01T10:00:00']
    // Application headers interleaved with the DLQ metadata, as a Java DLQ writer may add them.
    javaProduce(dlq, [['order-5', '{"id":5}', 'trace=t1', metadata[0], 'nullable', 'constructor=c', ...metadata.slice(1, 4), 'x=1', 'toString', ...metadata.slice(4), 'x=2']])

    const dry = await kafkit(['dlq', 'replay', dlq, '--dry-run'])
    expect(dry.stderr).toBe('')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/would be replayed: 1\n/)

    const run = await kafkit(['dlq', 'replay', dlq, '--yes'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/replayed: +1\n/)

    const [headers] = kcatHeaders(original)
    expect(headers.slice(0, 10)).toEqual(['trace', 't1', 'nullable', null, 'constructor', 'c', 'x', '1', 'toString', null])
    expect(headers.slice(10, 12)).toEqual(['x', '2'])
    expect(headers.filter((_, i) => i % 2 === 0).slice(6)).toEqual([
      'kafkit-replay-source-topic',
      'kafkit-replay-source-partition',
      'kafkit-replay-source-offset',
      'kafkit-replay-time',
      'retry_count',
    ])
    expect(headers.slice(12, 18)).toEqual(['kafkit-replay-source-topic', dlq, 'kafkit-replay-source-partition', '0', 'kafkit-replay-source-offset', '0'])
    expect(headers.at(-1)).toBe('1')
  })
})
