import {spawn} from 'node:child_process'

import {describe, expect, inject, it} from 'vitest'

import {RUN_JS, kafkaTool, kafkit, kafkitBytes, kcat, uniqueName} from '../helpers.js'

interface KcatRecord {
  partition: number
  offset: number
  key: Buffer | null
  value: Buffer | null
  headers: string
}

/** kcat -C with sizes before keys and values, so any bytes (newlines too) are read back exactly. */
const KCAT_FORMAT = '%p %o %K %S\n%k%s\n%h\n'

function readKcat(topic: string, extra: string[] = []): KcatRecord[] {
  const res = kcat(['-C', '-t', topic, '-e', '-q', '-f', KCAT_FORMAT, ...extra])
  expect(res.status, res.stderr).toBe(0)
  const out = res.stdout
  const records: KcatRecord[] = []
  let i = 0
  const line = (): string => {
    const nl = out.indexOf(10, i)
    const text = out.subarray(i, nl).toString('utf8')
    i = nl + 1
    return text
  }
  while (i < out.length) {
    const [p, o, k, s] = line().split(' ').map(Number)
    const key = k < 0 ? null : out.subarray(i, i + k)
    i += Math.max(k, 0)
    const value = s < 0 ? null : out.subarray(i, i + s)
    i += Math.max(s, 0) + 1
    records.push({partition: p, offset: o, key, value, headers: line()})
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset)
}

async function createTopic(prefix: string, partitions = 1): Promise<string> {
  const topic = uniqueName(prefix)
  const res = await kafkit(['topics', 'create', topic, '-p', String(partitions), '-r', '1'])
  expect(res.code, res.stderr).toBe(0)
  return topic
}

function drainOrClose(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}

const jsonLines = (stdout: string): any[] => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l))

describe('kafkit produce → kcat reads the same bytes', () => {
  it('lines with --key-separator and repeated --header, keys, values and headers byte for byte', async () => {
    const topic = await createTopic('console.lines')
    const input = 'k1:hello world\nk2:value:with:colons\n\nk3:\u00e9t\u00e9 \u20ac\n'
    const res = await kafkit(['produce', topic, '-K', ':', '-H', 'source=test', '-H', 'source=again', '-H', 'empty='], {input})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toBe(`kafkit: produced to ${topic}: sent 3, failed 0\n`)
    const records = readKcat(topic)
    expect(records.map((r) => [r.offset, r.key?.toString(), r.value?.toString(), r.headers])).toEqual([
      [0, 'k1', 'hello world', 'source=test,source=again,empty='],
      [1, 'k2', 'value:with:colons', 'source=test,source=again,empty='],
      [2, 'k3', '\u00e9t\u00e9 \u20ac', 'source=test,source=again,empty='],
    ])
  })

  it('--format json: binary keys and values (base64), null key, tombstone, partitions, timestamps', async () => {
    const topic = await createTopic('console.json', 3)
    const binary = Buffer.from([0, 1, 2, 10, 13, 0xff, 0xfe, 0x80])
    const lines = [
      {key: {base64: binary.toString('base64')}, value: {base64: binary.toString('base64')}, partition: 2, timestamp: 1_700_000_000_000},
      {key: null, value: 'no key', partition: 1, headers: {h: 'v', bin: {base64: '/w=='}}},
      {key: 'gone', value: null, partition: 1},
    ]
    // A number literal beyond 2^53 is sent exactly as written.
    const input = [...lines.map((l) => JSON.stringify(l)), '{"key": "obj", "value": {"n": 12345678901234567890, "s": "x"}, "partition": 0}'].join('\n')
    const res = await kafkit(['produce', topic, '--format', 'json', '-z', 'gzip'], {input})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toContain('sent 4, failed 0')
    const records = readKcat(topic)
    expect(records).toHaveLength(4)
    expect(records[0]).toMatchObject({partition: 0, offset: 0})
    expect(records[0].value!.toString()).toBe('{"n":12345678901234567890,"s":"x"}')
    expect(records[1]).toMatchObject({partition: 1, offset: 0, key: null, headers: 'h=v,bin=\ufffd'})
    expect(records[1].value!.toString()).toBe('no key')
    expect(records[2]).toMatchObject({partition: 1, offset: 1, value: null})
    expect(records[3]).toMatchObject({partition: 2, offset: 0})
    expect(Buffer.compare(records[3].key!, binary)).toBe(0)
    expect(Buffer.compare(records[3].value!, binary)).toBe(0)
    const timestamps = kcat(['-C', '-t', topic, '-p', '2', '-e', '-q', '-f', '%T\n'])
    expect(timestamps.stdout.toString()).toBe('1700000000000\n')
  })
})

describe('kcat produces with every codec → kafkit consume reads the same bytes', () => {
  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('%s', async (codec) => {
    const topic = await createTopic(`console.codec-${codec}`)
    // Values with every byte except the newline kcat splits on, and enough of them for multi-KiB batches.
    const allBytes = Buffer.from(Array.from({length: 256}, (_, b) => b).filter((b) => b !== 10))
    const values = Array.from({length: 300}, (_, i) => Buffer.concat([Buffer.from(`msg-${i}-`), allBytes, Buffer.from('x'.repeat(i))]))
    const input = Buffer.concat(values.flatMap((v, i) => [Buffer.from(`key-${i}\t`), v, Buffer.from('\n')]))
    const produced = kcat(['-P', '-t', topic, '-z', codec, '-K', '\t', '-H', 'codec=' + codec, '-X', 'linger.ms=100'], {input})
    expect(produced.status, produced.stderr).toBe(0)

    const res = await kafkitBytes(['consume', topic, '--from-beginning', '-e', '-o', 'json'])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const records = jsonLines(res.stdout.toString('utf8'))
    expect(records).toHaveLength(values.length)
    for (const [i, r] of records.entries()) {
      expect(r.offset).toBe(i)
      expect(r.key).toBe(`key-${i}`)
      expect(r.headers).toEqual(['codec', codec])
      // Not valid UTF-8, so the value comes back as base64 of the exact bytes.
      expect(Buffer.compare(Buffer.from(r.value.base64, 'base64'), values[i])).toBe(0)
    }
    // The raw template output is the same bytes too.
    const raw = await kafkitBytes(['consume', topic, '--from-beginning', '-e', '--format', '%k\\t%v\\n'])
    expect(Buffer.compare(raw.stdout, input)).toBe(0)
  })
})

describe('kafkit produce --compression → kafkit and kcat read it back', () => {
  it.each(['gzip', 'snappy', 'lz4', 'zstd'])('%s', async (codec) => {
    const topic = await createTopic(`console.write-${codec}`)
    const input = Array.from({length: 2000}, (_, i) => `key-${i}|value ${i} ${'abc'.repeat(i % 50)}`).join('\n')
    const res = await kafkit(['produce', topic, '-K', '|', '-z', codec], {input})
    expect(res.code, res.stderr).toBe(0)
    const viaKcat = kcat(['-C', '-t', topic, '-e', '-q', '-f', '%k|%s\n'])
    expect(viaKcat.stdout.toString()).toBe(`${input}\n`)
    const viaKafkit = await kafkit(['consume', topic, '--from-beginning', '-e', '--format', '%k|%v\n'])
    expect(viaKafkit.stdout).toBe(`${input}\n`)
  })
})

describe('consume positions and limits', () => {
  /** 3 partitions, 5 messages each with timestamps 1000 s apart: p-i at offset i, timestamp T0 + i*1000 s. */
  async function positionedTopic(): Promise<{topic: string; t0: number}> {
    const topic = await createTopic('console.pos', 3)
    const t0 = 1_750_000_000_000
    const lines = [0, 1, 2].flatMap((p) => [0, 1, 2, 3, 4].map((i) => JSON.stringify({key: `k${p}`, value: `p${p}-${i}`, partition: p, timestamp: t0 + i * 1_000_000})))
    const res = await kafkit(['produce', topic, '--format', 'json'], {input: lines.join('\n')})
    expect(res.code, res.stderr).toBe(0)
    return {topic, t0}
  }

  it('--partition with --offset, -e stops at the end, %p %o %T %k %v', async () => {
    const {topic, t0} = await positionedTopic()
    const res = await kafkit(['consume', topic, '-p', '1', '--offset', '2', '-e', '--format', '%t %p %o %T %k %v\\n'])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toBe([2, 3, 4].map((i) => `${topic} 1 ${i} ${t0 + i * 1_000_000} k1 p1-${i}\n`).join(''))
    // A negative offset counts back from the end.
    const last = await kafkit(['consume', topic, '-p', '2', '--offset=-2', '-e'])
    expect(last.stdout).toBe('p2-3\np2-4\n')
  })

  it('--from-time starts every partition at the first message at or after that time', async () => {
    const {topic, t0} = await positionedTopic()
    const res = await kafkit(['consume', topic, '--from-time', String(t0 + 3_000_000), '-e', '-o', 'json'])
    expect(res.code, res.stderr).toBe(0)
    const got = jsonLines(res.stdout).map((r) => `${r.partition}/${r.offset}/${r.timestamp}`).sort()
    expect(got).toEqual([0, 1, 2].flatMap((p) => [3, 4].map((i) => `${p}/${i}/${t0 + i * 1_000_000}`)))
    const iso = await kafkit(['consume', topic, '-p', '0', '--from-time', new Date(t0 + 4_000_000).toISOString(), '-e'])
    expect(iso.stdout).toBe('p0-4\n')
  })

  it('--from-beginning -e reads everything once; -n stops after N; no flag starts at the end', async () => {
    const {topic} = await positionedTopic()
    const all = await kafkit(['consume', topic, '--from-beginning', '-e'])
    expect(all.code).toBe(0)
    expect(all.stdout.split('\n').filter(Boolean).sort()).toEqual([0, 1, 2].flatMap((p) => [0, 1, 2, 3, 4].map((i) => `p${p}-${i}`)))
    const three = await kafkit(['consume', topic, '--from-beginning', '-n', '3', '-p', '2'])
    expect(three.code).toBe(0)
    expect(three.stdout).toBe('p2-0\np2-1\np2-2\n')
    // -n without -e stops on its own even with fewer messages left than -e would need.
    const one = await kafkit(['consume', topic, '--from-beginning', '-n', '1', '-p', '0'])
    expect(one.stdout).toBe('p0-0\n')
    const fromEnd = await kafkit(['consume', topic, '-e'])
    expect(fromEnd.code).toBe(0)
    expect(fromEnd.stdout).toBe('')
  })

  it('--format json is -o json: the lines produce --format json reads back, with headers; -H may come before the topic', async () => {
    const source = await createTopic('console.json.src', 2)
    const copy = await createTopic('console.json.copy', 2)
    const input = ['{"key":"a","value":"1","partition":0}', '{"key":"b","value":{"n":2},"partition":1,"headers":{"h":"x"}}'].join('\n')
    expect((await kafkit(['produce', '-H', 'via=test', source, '--format', 'json'], {input})).code).toBe(0)
    const viaFormat = await kafkit(['consume', source, '--from-beginning', '-e', '--format', 'json'])
    const viaOutput = await kafkit(['consume', source, '--from-beginning', '-e', '-o', 'json'])
    expect(viaFormat.code).toBe(0)
    const byPartition = (stdout: string) => jsonLines(stdout).sort((a, b) => a.partition - b.partition)
    expect(byPartition(viaFormat.stdout)).toEqual(byPartition(viaOutput.stdout))
    expect(byPartition(viaFormat.stdout).map((r) => r.headers)).toEqual([['via', 'test'], ['h', 'x', 'via', 'test']])
    expect((await kafkit(['produce', copy, '--format', 'json'], {input: viaFormat.stdout})).code).toBe(0)
    const copied = jsonLines((await kafkit(['consume', copy, '--from-beginning', '-e', '-o', 'json'])).stdout)
    const strip = (r: any) => ({partition: r.partition, key: r.key, value: r.value, headers: r.headers})
    expect(copied.map(strip).sort((a, b) => a.partition - b.partition)).toEqual(byPartition(viaOutput.stdout).map(strip))
  })

  it('--group resumes where it committed, and Kafka sees the committed offsets', async () => {
    const {topic} = await positionedTopic()
    const group = uniqueName('console.group')
    const first = await kafkit(['consume', topic, '-p', '0', '--group', group, '--from-beginning', '-n', '2'])
    expect(first.stdout).toBe('p0-0\np0-1\n')
    const rest = await kafkit(['consume', topic, '-p', '0', '--group', group, '-e'])
    expect(rest.stdout).toBe('p0-2\np0-3\np0-4\n')
    const described = kafkaTool('consumerGroups', ['--describe', '--group', group])
    expect(described.stdout).toMatch(new RegExp(`${group.replace('.', '\\.')}\\s+${topic.replace('.', '\\.')}\\s+0\\s+5\\s+5\\s+0`))
  })
})

describe('produce is interrupted', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s during a large produce: every message reported as sent is in the topic exactly once', async (signal, exitCode) => {
    const topic = await createTopic(`console.${signal.toLowerCase()}`)
    const child = spawn(process.execPath, [RUN_JS, 'produce', topic], {
      env: {...process.env, KAFKA_BOOTSTRAP_SERVERS: inject('kafkaBootstrap'), KAFKIT_CONFIG: '/nonexistent'},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    child.stdin.on('error', () => {})
    // An endless input, written only as fast as kafkit reads it (stdin back-pressure).
    let written = 0
    let stdinOpen = true
    child.stdin.on('close', () => (stdinOpen = false))
    const writer = (async () => {
      while (stdinOpen && written < 5_000_000) {
        let chunk = ''
        for (let i = 0; i < 1000; i++) chunk += `message ${++written} ${'p'.repeat(80)}\n`
        if (!child.stdin.write(chunk)) await drainOrClose(child.stdin)
        if (written === 200_000) child.kill(signal)
      }
    })()
    const code = await closed
    child.stdin.destroy()
    await writer
    expect(stderr).toMatch(new RegExp(`^kafkit: produced to ${topic.replace('.', '\\.')}: sent (\\d+), failed 0 \\(stopped by ${signal}; the rest of the input was not read\\)\\n$`))
    const sent = Number(/sent (\d+)/.exec(stderr)![1])
    expect(code).toBe(exitCode)
    expect(sent).toBeGreaterThan(0)
    // What kafkit read before the signal was flushed in order; nothing twice, nothing skipped.
    const values = kcat(['-C', '-t', topic, '-e', '-q', '-f', '%s\n']).stdout.toString().split('\n').filter(Boolean)
    expect(values.length).toBe(sent)
    expect(values.every((v, i) => v === `message ${i + 1} ${'p'.repeat(80)}`)).toBe(true)
  })
})

describe('bad input and edge cases', () => {
  it('an unknown topic is one line and exit 1, for produce and consume', async () => {
    for (const args of [['produce', 'console.no-such-topic'], ['consume', 'console.no-such-topic', '-e']]) {
      const res = await kafkit(args, {input: 'x\n'})
      expect(res.code).toBe(1)
      expect(res.stderr).toBe(`kafkit: topic "console.no-such-topic" not found on ${inject('kafkaBootstrap')} — kafkit topics list shows what exists\n`)
    }
    expect(kafkaTool('topics', ['--list']).stdout.split('\n')).not.toContain('console.no-such-topic')
  })

  it('a bad --format json line: its number in one error line, the lines before it sent and counted', async () => {
    const topic = await createTopic('console.badjson')
    const input = '{"value":"one"}\n{"value":"two"}\n{"value": oops}\n{"value":"four"}\n'
    const res = await kafkit(['produce', topic, '--format', 'json'], {input})
    expect(res.code).toBe(1)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/^kafkit: line 3: not valid JSON .* — sent 2, failed 0 \(topic .*\); nothing after that line was sent\n$/)
    expect(readKcat(topic).map((r) => r.value!.toString())).toEqual(['one', 'two'])
    const noSeparator = await kafkit(['produce', topic, '-K', '='], {input: 'a=1\nno separator here\n'})
    expect(noSeparator.code).toBe(1)
    expect(noSeparator.stderr).toMatch(/^kafkit: line 2: key separator "=" not found — sent 1, failed 0/)
  })

  it('conflicting or invalid flags fail before connecting, one line', async () => {
    const cases: [string[], RegExp][] = [
      [['consume', 't', '-o', 'json', '--format', '%v'], /-o json and --format are alternatives/],
      [['consume', 't', '--format', '%q'], /--format: unknown format directive %q/],
      [['consume', 't', '--from-beginning', '--offset', '3'], /^kafkit: --from-beginning and --offset are alternatives: use one\n$/],
      [['consume', 't', '--from-time', 'yesterday'], /--from-time: "yesterday" is not a time/],
      [['produce', 't', '--header', 'nokey'], /--header: expected name=value/],
      [['produce', 't', '--file', '/nonexistent/in.txt'], /--file \/nonexistent\/in.txt: no such file/],
      [['consume'], /^kafkit: missing required argument: topic \(topic to read\)\n$/],
      [['dlq', 'replay', '--where', 'a=b'], /^kafkit: missing required argument: dlq-topic \(the dead-letter topic\)\n$/],
    ]
    for (const [args, pattern] of cases) {
      const res = await kafkit(args, {bootstrap: '127.0.0.1:1'})
      expect(res.code, args.join(' ')).toBe(1)
      expect(res.stderr, args.join(' ')).toMatch(pattern)
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
    }
  })

  it('a closed stdout (| head) ends consume with exit 0 and nothing on stderr', async () => {
    const topic = await createTopic('console.head')
    const input = Array.from({length: 50_000}, (_, i) => `line ${i} ${'x'.repeat(100)}`).join('\n')
    expect((await kafkit(['produce', topic], {input})).code).toBe(0)
    const child = spawn(process.execPath, [RUN_JS, 'consume', topic, '--from-beginning'], {
      env: {...process.env, KAFKA_BOOTSTRAP_SERVERS: inject('kafkaBootstrap'), KAFKIT_CONFIG: '/nonexistent'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const firstLine = await new Promise<string>((resolve) => {
      let buf = ''
      child.stdout.on('data', (d) => {
        buf += d
        if (buf.includes('\n')) resolve(buf.split('\n')[0])
      })
    })
    child.stdout.destroy()
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    expect(firstLine).toBe(`line 0 ${'x'.repeat(100)}`)
    expect(stderr).toBe('')
    expect(code).toBe(0)
  })
})
