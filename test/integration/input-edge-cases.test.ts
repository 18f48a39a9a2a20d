/**
 * Input a new user gets wrong, through bin/run.js against the real broker: each case once printed
 * a misleading message, silently did something else, or dumped piped data into the error.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, inject, it} from 'vitest'

import {RUN_JS, kafkaTool, kafkit, uniqueName, type CliResult} from '../helpers.js'

/** The whole of stderr is one kafkit: line, and it matches `expected`. */
function expectOneLine(res: CliResult, expected: RegExp | string): void {
  expect(res.code, res.stderr).toBe(1)
  const lines = res.stderr.split('\n').filter(Boolean)
  expect(lines, res.stderr).toHaveLength(1)
  if (typeof expected === 'string') expect(lines[0]).toBe(expected)
  else expect(lines[0]).toMatch(expected)
}

async function createTopic(prefix: string, messages = 0): Promise<string> {
  const topic = uniqueName(prefix)
  const created = await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1'])
  expect(created.code, created.stderr).toBe(0)
  if (messages > 0) {
    const input = Array.from({length: messages}, (_, i) => `m${i}`).join('\n')
    const sent = await kafkit(['produce', topic], {input})
    expect(sent.code, sent.stderr).toBe(0)
  }
  return topic
}

describe('positional arguments come only from the command line', () => {
  it('a forgotten topic is a missing argument, not 2,000 lines of stdin in the error', async () => {
    const input = Array.from({length: 2000}, (_, i) => String(i + 1)).join('\n')
    const res = await kafkit(['produce'], {input})
    expectOneLine(res, 'kafkit: missing required argument: topic (topic to write to (must exist))')
  })

  it('echo TOPIC | consume -e does not consume TOPIC', async () => {
    const topic = await createTopic('edge.stdin', 3)
    const res = await kafkit(['consume', '-e', '--from-beginning'], {input: `${topic}\n`})
    expectOneLine(res, 'kafkit: missing required argument: topic (topic to read)')
    expect(res.stdout).toBe('')
  })

  it('an optional argument is not read from stdin either', async () => {
    // groups lag without a group lists nothing rather than the lag of a group named by stdin.
    const res = await kafkit(['groups', 'lag', '-o', 'json'], {input: 'some-group\n'})
    expectOneLine(res, /^kafkit: no groups given — /)
  })
})

describe('a command that does not exist', () => {
  it('is one kafkit line with the closest command and exit 1', async () => {
    const typo = await kafkit(['topics', 'lsit'])
    expect([typo.code, typo.stdout, typo.stderr]).toEqual([1, '', 'kafkit: unknown command "topics lsit" (did you mean "topics list"?) — kafkit --help lists the commands\n'])
    const unknown = await kafkit(['frobnicate'])
    expect([unknown.code, unknown.stderr]).toEqual([1, 'kafkit: unknown command "frobnicate" — kafkit --help lists the commands\n'])
  })
})

describe('durations a timer cannot hold', () => {
  it.each([
    [['topics', 'list', '--timeout', '30d'], '--timeout'],
    [['topics', 'list', '--timeout', '9999999999'], '--timeout'],
    [['topics', 'apply', '-f', 'topics.yaml', '--reassignment-timeout', '25d'], '--reassignment-timeout'],
  ])('%j is refused naming the flag', async (argv, flag) => {
    const res = await kafkit(argv)
    expectOneLine(res, new RegExp(`^kafkit: ${flag}: "[^"]+" is longer than the longest wait kafkit can time \\(24d\\)`))
    expect(res.stderr).not.toMatch(/TimeoutOverflowWarning/)
  })

  it('dlq replay --rate slower than one record per 24d is refused (the pause would be a 1 ms timer)', async () => {
    const res = await kafkit(['dlq', 'replay', 'edge.dlq', '--rate', '0.0000001', '--dry-run'])
    expectOneLine(res, 'kafkit: --rate: "0.0000001" is not a rate kafkit can pace: at least one record per 24d')
  })

  it('a bad --reassignment-timeout names that flag, not --timeout', async () => {
    const res = await kafkit(['topics', 'apply', '-f', 'topics.yaml', '--reassignment-timeout', 'soon'])
    expectOneLine(res, /^kafkit: --reassignment-timeout: "soon" is not a duration/)
  })
})

describe('dates that do not exist are refused, not shifted', () => {
  it.each(['2026-02-30T00:00:00Z', '2026-04-31T10:00:00Z', '2025-02-29T00:00:00Z', '2026-01-01T25:00:00Z', '2026-01-01T23:60:00Z', '2026-01-01T10:00:61+02:00'])(
    'consume --from-time %s',
    async (time) => {
      const topic = await createTopic('edge.time', 2)
      const res = await kafkit(['consume', topic, '--from-time', time, '-e'])
      expectOneLine(res, new RegExp(`^kafkit: --from-time: "${time.replace(/\+/g, '\\+')}" is not a time — .*does not exist`))
      expect(res.stdout).toBe('')
    },
  )

  it('a leap day that exists is accepted', async () => {
    const topic = await createTopic('edge.leap', 2)
    const res = await kafkit(['consume', topic, '--from-time', '2024-02-29T00:00:00Z', '-e'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toBe('m0\nm1\n')
  })

  it('groups reset-offsets --to-datetime 2026-02-30 (Kafka: Unparseable date)', async () => {
    const topic = await createTopic('edge.reset', 2)
    const res = await kafkit(['groups', 'reset-offsets', uniqueName('edge.group'), '--topic', topic, '--to-datetime', '2026-02-30T00:00:00Z'])
    expectOneLine(res, /^kafkit: --to-datetime: "2026-02-30T00:00:00Z" is not valid — .*does not exist/)
  })

  it('a time before 1970 means every message (a negative time is "latest" to ListOffsets)', async () => {
    const topic = await createTopic('edge.epoch', 2)
    // Was "The version of API is not supported": now - 100000w went to the broker as a negative time.
    const reset = await kafkit(['groups', 'reset-offsets', uniqueName('edge.group'), '--topic', topic, '--by-duration', '100000w', '-o', 'json'])
    expect(reset.code, reset.stderr).toBe(0)
    expect(JSON.parse(reset.stdout).plan.rows.map((r: {new: number}) => r.new)).toEqual([0])
    const consumed = await kafkit(['consume', topic, '--from-time', '1969-07-20T20:17:00Z', '-e'])
    expect(consumed.code, consumed.stderr).toBe(0)
    expect(consumed.stdout).toBe('m0\nm1\n')
  })

  it('dlq replay --since / --until', async () => {
    const since = await kafkit(['dlq', 'replay', 'edge.dlq', '--since', '2026-06-31T00:00:00Z', '--dry-run'])
    expectOneLine(since, /^kafkit: --since: "2026-06-31T00:00:00Z" .*does not exist/)
    const until = await kafkit(['dlq', 'replay', 'edge.dlq', '--until', '2026-06-30T24:00:00Z', '--dry-run'])
    expectOneLine(until, /^kafkit: --until: "2026-06-30T24:00:00Z" .*does not exist/)
  })
})

describe('topics create says what is wrong', () => {
  it.each([
    [['-r', '65537', '-p', '1'], '--replication-factor'],
    [['-r', '32768', '-p', '1'], '--replication-factor'],
    [['-r', '1', '-p', '2147483648'], '--partitions'],
  ])('%j names the flag and its range', async (flags, flag) => {
    const res = await kafkit(['topics', 'create', uniqueName('edge.range'), ...flags])
    expectOneLine(res, new RegExp(`^kafkit: ${flag}: .*(32767|2147483647)`))
    expect(res.stderr).not.toMatch(/out of range/)
  })

  it('-p 2147483647 passes on the broker\'s own message, as kafka-topics does', async () => {
    const topic = uniqueName('edge.huge')
    const res = await kafkit(['topics', 'create', topic, '-r', '1', '-p', '2147483647'])
    const tool = kafkaTool('topics', ['--create', '--topic', topic, '--partitions', '2147483647', '--replication-factor', '1'])
    expect(tool.stdout + tool.stderr).toMatch(/Excessively large number of partitions per request/)
    expectOneLine(res, /^kafkit: cannot create topic "edge\.huge\.\w+": .*Excessively large number of partitions per request/)
  })

  it('a name that collides with an existing one (a.x vs a_x) says so, in the broker\'s words', async () => {
    const dotted = await createTopic('edge.collide')
    const underscored = dotted.replace(/\./g, '_')
    const res = await kafkit(['topics', 'create', underscored, '-p', '1', '-r', '1'])
    expectOneLine(res, `kafkit: cannot create topic "${underscored}": Topic '${underscored}' collides with existing topic: ${dotted}`)
  })

  it('too many replicas: the broker says how many brokers there are', async () => {
    const topic = uniqueName('edge.rf')
    const res = await kafkit(['topics', 'create', topic, '-p', '1', '-r', '50'])
    expectOneLine(res, /^kafkit: cannot create topic "edge\.rf\.\w+": Unable to replicate the partition 50 time\(s\): The target replication factor of 50 cannot be reached because only \d+ broker\(s\) are registered$/)
  })

  it('a missing required flag is one line naming the flag and its short form', async () => {
    const res = await kafkit(['topics', 'create', uniqueName('edge.flag'), '-r', '1'])
    expectOneLine(res, 'kafkit: missing required flag --partitions (-p)')
    const both = await kafkit(['topics', 'create', uniqueName('edge.flag')])
    expectOneLine(both, 'kafkit: missing required flags --partitions (-p), --replication-factor (-r)')
  })
})

describe('topics.yaml with numbers Kafka cannot hold', () => {
  it('lint and plan name each field and its limit (lint said "1 topics OK")', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafkit-huge-')), 'topics.yaml')
    writeFileSync(file, 'version: 1\ntopics:\n  - name: edge.huge.one\n    partitions: 2147483648\n    replicationFactor: 40000\n')
    const expected = [
      `${file}:4:17: topic "edge.huge.one": partitions must be at most 2147483647 (got 2147483648)`,
      `${file}:5:24: topic "edge.huge.one": replicationFactor must be at most 32767 (got 40000)`,
    ]
    const lint = await kafkit(['topics', 'lint', '-f', file])
    expect(lint.code).toBe(1)
    expect(lint.stdout.split('\n').filter(Boolean)).toEqual([...expected, `${file}: invalid; 2 errors, 0 warnings`])
    const plan = await kafkit(['topics', 'plan', '-f', file])
    expect(plan.code).toBe(1)
    expect(plan.stderr.split('\n').filter(Boolean)).toEqual([...expected, `kafkit: ${file}: 2 errors, nothing was planned`])
  })
})

describe('a broker port no socket can use', () => {
  it('is one line naming where it came from (was Node\'s "Port should be >= 0 and < 65536")', async () => {
    const flag = await kafkit(['topics', 'list', '-b', '127.0.0.1:99999'])
    expectOneLine(flag, 'kafkit: --bootstrap-server: "127.0.0.1:99999" is not host:port (port 1-65535) — e.g. --bootstrap-server 127.0.0.1:9092')
    const env = await kafkit(['topics', 'list'], {env: {KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:0'}})
    expectOneLine(env, /^kafkit: KAFKA_BOOTSTRAP_SERVERS: "127\.0\.0\.1:0" is not host:port \(port 1-65535\)/)
    const config = join(mkdtempSync(join(tmpdir(), 'kafkit-port-')), 'config.yaml')
    writeFileSync(config, 'currentContext: a\ncontexts:\n  a: {brokers: [kafka-1:70000]}\n')
    const context = await kafkit(['topics', 'list'], {env: {KAFKIT_CONFIG: config, KAFKA_BOOTSTRAP_SERVERS: undefined}})
    expectOneLine(context, `kafkit: ${config}: contexts.a.brokers: expected a list of host:port (port 1-65535)`)
  })
})

describe('files that cannot be written', () => {
  it('topics export -o and reset-offsets --export name the path and the cause in words', async () => {
    const topic = await createTopic('edge.export', 1)
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-write-'))
    const missing = join(dir, 'no', 'such', 'dir.yaml')
    // Was "ENOENT: no such file or directory, open '...' (run with --debug for details)".
    expectOneLine(await kafkit(['topics', 'export', '--prefix', topic, '-o', missing]), `kafkit: cannot write ${missing}: no such file or directory`)
    expectOneLine(await kafkit(['topics', 'export', '--prefix', topic, '-o', dir, '--force']), `kafkit: cannot write ${dir}: is a directory`)
    const reset = await kafkit(['groups', 'reset-offsets', uniqueName('edge.group'), '--topic', topic, '--to-earliest', '--export', dir])
    expect(reset.stderr.split('\n').filter(Boolean).at(-1)).toBe(`kafkit: cannot write ${dir}: is a directory`)
  })

  it('local start --port beyond what its listeners can use is refused before anything starts', async () => {
    // Node's own "options.port should be >= 0 and < 65536" came after formatting storage.
    expectOneLine(await kafkit(['local', 'start', '--port', '99999', '--state-dir', mkdtempSync(join(tmpdir(), 'kafkit-port-'))]), /^kafkit: --port: .*65333/)
  })
})

describe('KAFKIT_CONFIG', () => {
  it('pointing at a directory names the path and what is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-config-dir-'))
    for (const argv of [['topics', 'list'], ['context', 'list']]) {
      const res = await kafkit(argv, {env: {KAFKIT_CONFIG: dir, KAFKA_BOOTSTRAP_SERVERS: undefined}})
      expectOneLine(res, `kafkit: config file ${dir} (KAFKIT_CONFIG) is a directory, not a file`)
    }
  })
})

describe('consume on a terminal', () => {
  it('the final count is what was consumed (-n 1000 > file)', async () => {
    const topic = await createTopic('edge.count', 1000)
    const out = join(mkdtempSync(join(tmpdir(), 'kafkit-tty-')), 'out.txt')
    // `script` gives the CLI a real terminal on stdin and stderr; stdout goes to the file.
    const command = `'${process.execPath}' '${RUN_JS}' consume ${topic} --from-beginning -n 1000 > '${out}'`
    const res = spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      env: {...process.env, KAFKA_BOOTSTRAP_SERVERS: inject('kafkaBootstrap'), KAFKIT_CONFIG: '/nonexistent/kafkit-config.yaml', NO_COLOR: '1'},
      timeout: 90_000,
    })
    expect(res.status, res.stdout + res.stderr).toBe(0)
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(1000)
    expect(res.stdout).toMatch(/kafkit: consumed 1000 message\(s\)/)
  })
})
