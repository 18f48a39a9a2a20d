/**
 * groups reset-offsets and groups delete against the real broker: every strategy executed and the
 * committed offsets read back with Kafka's own kafka-consumer-groups.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, inject, it} from 'vitest'

import {KafkaToolClass, kafkaToolCommand} from '../../src/local/harness.js'
import {consumeAndCommit, createTopic, kafkaCommitted, messagesPerPartition, produce, startMember} from '../groups-helpers.js'
import {kafkaTool, kafkit, kafkitJson, uniqueName} from '../helpers.js'

const MINUTE = 60_000

interface Fixture {
  topic: string
  group: string
  /** Message i of every partition was produced with timestamp base + i minutes. */
  base: number
}

/**
 * A topic with `counts[p]` messages on partition p, one a minute starting an hour ago, and a group
 * whose offsets Kafka's own tool set to `initial` on every partition.
 */
async function fixture(counts = [10, 10, 10], initial: number | null = 5): Promise<Fixture> {
  const bootstrap = inject('kafkaBootstrap')
  const topic = uniqueName('reset.topic')
  const group = uniqueName('reset.group')
  const base = Date.now() - 60 * MINUTE
  await createTopic(bootstrap, topic, counts.length)
  await produce(bootstrap, topic, messagesPerPartition(counts, (_, i) => base + i * MINUTE))
  if (initial !== null) setWithKafkaTool(group, topic, initial)
  return {topic, group, base}
}

function setWithKafkaTool(group: string, scope: string, offset: number): void {
  const res = kafkaTool('consumerGroups', ['--reset-offsets', '--group', group, '--topic', scope, '--to-offset', String(offset), '--execute'])
  expect(res.status, res.stderr).toBe(0)
}

const committedOf = (topic: string, offsets: (number | string)[]) =>
  Object.fromEntries(offsets.map((offset, partition) => [`${topic}:${partition}`, String(offset)]))

/** An ISO-8601 time with a +02:00 zone, to prove zones are honoured. */
function isoPlus2(ms: number): string {
  return new Date(ms + 2 * 3_600_000).toISOString().replace('Z', '+02:00')
}

describe('groups reset-offsets', () => {
  it('is a dry run by default: prints the plan and commits nothing', async () => {
    const {topic, group} = await fixture()
    const res = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-offset', '12'])
    expect(res.code).toBe(0)
    expect(res.stderr).toBe('')
    const lines = res.stdout.split('\n')
    expect(lines[0]).toMatch(/^TOPIC\s+PARTITION\s+CURRENT\s+NEW\s+DELTA\s+CLAMPED$/)
    expect(lines[1]).toMatch(new RegExp(`^${topic.replace('.', '\\.')}\\s+0\\s+5\\s+10\\s+\\+5\\s+latest: requested 12 is past the log end 10$`))
    expect(res.stdout).toContain(`dry run for group "${group}": 3 partitions, 3 changed, total delta +15, 3 clamped; nothing committed (add --execute to apply)`)
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [5, 5, 5]))
  })

  describe('executes every strategy; Kafka reads back the committed offsets', () => {
    it.each<[string, (f: Fixture) => string[], number[], (string | null)[]]>([
      ['--to-earliest', () => ['--to-earliest'], [0, 0, 0], [null, null, null]],
      ['--to-latest', () => ['--to-latest'], [10, 10, 10], [null, null, null]],
      ['--to-offset', () => ['--to-offset', '3'], [3, 3, 3], [null, null, null]],
      ['--to-offset past the end (clamped)', () => ['--to-offset', '25'], [10, 10, 10], ['latest', 'latest', 'latest']],
      ['--shift-by -2', () => ['--shift-by', '-2'], [3, 3, 3], [null, null, null]],
      ['--shift-by=-9 (clamped to the start)', () => ['--shift-by=-9'], [0, 0, 0], ['earliest', 'earliest', 'earliest']],
      ['--shift-by +3', () => ['--shift-by', '+3'], [8, 8, 8], [null, null, null]],
      // Message 4 is the first at or after base + 3.5 minutes.
      ['--to-datetime with a zone', (f) => ['--to-datetime', isoPlus2(f.base + 3.5 * MINUTE)], [4, 4, 4], [null, null, null]],
      ['--to-datetime after every message (log end)', (f) => ['--to-datetime', new Date(f.base + 90 * MINUTE).toISOString()], [10, 10, 10], ['latest', 'latest', 'latest']],
      // now - 54m30s is base + 5.5 minutes: message 6 is the first at or after it.
      ['--by-duration 54m30s', () => ['--by-duration', '54m30s'], [6, 6, 6], [null, null, null]],
      ['--by-duration PT2H (before every message)', () => ['--by-duration', 'PT2H'], [0, 0, 0], [null, null, null]],
    ])('%s', async (_, args, expected, clamped) => {
      const f = await fixture()
      const result = await kafkitJson(['groups', 'reset-offsets', f.group, '--topic', f.topic, ...args(f), '--execute'])
      expect(result.executed).toBe(true)
      expect(result.plan.rows.map((r: any) => r.new)).toEqual(expected)
      expect(result.plan.rows.map((r: any) => r.clamped)).toEqual(clamped)
      expect(kafkaCommitted(f.group)).toEqual(committedOf(f.topic, expected))
    })
  })

  it('--to-datetime matches Kafka\'s own --to-datetime on the same messages', async () => {
    const {topic, group, base} = await fixture([10, 6, 3])
    const when = new Date(base + 4.5 * MINUTE).toISOString().replace('Z', '')
    const kafkaPlan = kafkaTool('consumerGroups', ['--reset-offsets', '--group', group, '--topic', topic, '--to-datetime', `${when}Z`, '--dry-run'])
    expect(kafkaPlan.status, kafkaPlan.stderr).toBe(0)
    // Rows are GROUP TOPIC PARTITION NEW-OFFSET (Kafka 3.9 prints them without line breaks).
    const kafkaNew = Object.fromEntries(
      [...kafkaPlan.stdout.matchAll(new RegExp(`${group.replace('.', '\\.')}\\s+${topic.replace('.', '\\.')}\\s+(\\d+)\\s+(\\d+)`, 'g'))].map((m) => [
        Number(m[1]),
        Number(m[2]),
      ]),
    )
    const ours = await kafkitJson(['groups', 'reset-offsets', group, '--topic', topic, '--to-datetime', `${when}Z`])
    expect(Object.fromEntries(ours.plan.rows.map((r: any) => [r.partition, r.new]))).toEqual(kafkaNew)
    // Partition 2 has messages 0..2 only: nothing at or after minute 4.5, so the log end.
    expect(kafkaNew).toEqual({0: 5, 1: 5, 2: 3})
  })

  it('resets only the partitions in scope: --topic T:0,2, several topics, --all-topics', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const {topic, group} = await fixture()
    const other = uniqueName('reset.other')
    await createTopic(bootstrap, other, 2)
    await produce(bootstrap, other, messagesPerPartition([4, 4]))

    await kafkitJson(['groups', 'reset-offsets', group, '--topic', `${topic}:0,2`, '--to-earliest', '--execute'])
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [0, 5, 0]))

    // Two --topic flags: the second topic gains offsets, partition 1 of the first moves too.
    await kafkitJson(['groups', 'reset-offsets', group, '--topic', `${topic}:1`, '--topic', other, '--to-latest', '--execute'])
    expect(kafkaCommitted(group)).toEqual({...committedOf(topic, [0, 10, 0]), ...committedOf(other, [4, 4])})

    // --all-topics: every partition the group has an offset for.
    const all = await kafkitJson(['groups', 'reset-offsets', group, '--all-topics', '--to-offset', '2', '--execute'])
    expect(all.plan.rows).toHaveLength(5)
    expect(kafkaCommitted(group)).toEqual({...committedOf(topic, [2, 2, 2]), ...committedOf(other, [2, 2])})
  })

  it('plans partitions without a committed offset (current "-"), and refuses to shift them, like Kafka', async () => {
    const {topic, group} = await fixture([10, 10, 10], null)
    setWithKafkaTool(group, `${topic}:0`, 4)

    const plan = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest'])
    expect(plan.code).toBe(0)
    expect(plan.stdout).toMatch(new RegExp(`${topic.replace('.', '\\.')}\\s+1\\s+-\\s+0\\s+-\\s+-\\n`))

    const shift = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--shift-by', '1'])
    expect(shift.code).toBe(1)
    expect(shift.stderr).toMatch(new RegExp(`^kafkit: cannot shift ${topic.replace('.', '\\.')}:1, ${topic.replace('.', '\\.')}:2: the group has no committed offset there`))

    await kafkitJson(['groups', 'reset-offsets', group, '--topic', topic, '--to-offset', '7', '--execute'])
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [7, 7, 7]))
  })

  it('handles empty partitions (log start = log end = 0)', async () => {
    const {topic, group} = await fixture([5, 0], null)
    const result = await kafkitJson(['groups', 'reset-offsets', group, '--topic', topic, '--to-offset', '3', '--execute'])
    expect(result.plan.rows.map((r: any) => [r.partition, r.current, r.new, r.clamped])).toEqual([
      [0, null, 3, null],
      [1, null, 0, 'latest'],
    ])
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [3, 0]))
  })

  it('--export writes the offsets before the change; --from-file restores them', async () => {
    const {topic, group} = await fixture()
    setWithKafkaTool(group, `${topic}:1`, 8)
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-reset-'))
    const before = join(dir, 'before.csv')

    const reset = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--export', before, '--execute'])
    expect(reset.code).toBe(0)
    expect(reset.stdout).toContain(`offsets before the reset written to ${before} (undo: --from-file ${before} --execute)`)
    expect(readFileSync(before, 'utf8')).toBe(`${topic},0,5\n${topic},1,8\n${topic},2,5\n`)
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [0, 0, 0]))

    const undo = await kafkitJson(['groups', 'reset-offsets', group, '--from-file', before, '--execute'])
    expect(undo.plan.rows.map((r: any) => r.new)).toEqual([5, 8, 5])
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [5, 8, 5]))

    // Kafka's tool reads the same file (its --export format is topic,partition,offset too).
    const kafkaDry = kafkaTool('consumerGroups', ['--reset-offsets', '--group', group, '--from-file', before, '--dry-run'])
    expect(kafkaDry.status, kafkaDry.stderr).toBe(0)
    expect(kafkaDry.stdout).toMatch(new RegExp(`${topic.replace('.', '\\.')}\\s+1\\s+8`))

    // A line outside the scope is pointed at, nothing is committed.
    const partial = join(dir, 'partial.csv')
    writeFileSync(partial, `${topic},0,1\n${topic},9,1\n`)
    const bad = await kafkit(['groups', 'reset-offsets', group, '--from-file', partial, '--execute'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain(`${partial}:2: unknown partition ${topic}:9`)
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [5, 8, 5]))
  })

  it('creates a group that does not exist yet, with a warning, like Kafka', async () => {
    const {topic} = await fixture([3], null)
    const group = uniqueName('reset.new')
    const res = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-latest', '--execute'])
    expect(res.code).toBe(0)
    expect(res.stderr).toBe(`kafkit: warning: group "${group}" does not exist yet; --execute creates it with these offsets\n`)
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [3]))
  })

  it.each<[string, string[], string]>([
    ['two strategies', ['--topic', 't', '--to-earliest', '--to-latest'], 'kafkit: --to-earliest and --to-latest cannot be combined — choose exactly one of'],
    ['no strategy', ['--topic', 't'], 'kafkit: no reset strategy given — choose exactly one of'],
    ['no scope', ['--to-earliest'], 'kafkit: no topics to reset — add --topic NAME[:0,1,...] (repeatable) or --all-topics'],
    ['--topic and --all-topics', ['--topic', 't', '--all-topics', '--to-latest'], 'kafkit: --topic and --all-topics cannot be combined'],
    ['a bad offset', ['--topic', 't', '--to-offset', '-3'], 'kafkit: --to-offset: "-3" is not valid — expected a non-negative offset'],
    ['a time without zone', ['--topic', 't', '--to-datetime', '2026-11-01T10:00:00'], 'kafkit: --to-datetime: "2026-11-01T10:00:00" is not valid — expected an ISO-8601 time with a zone'],
    ['a bad duration', ['--topic', 't', '--by-duration', 'soon'], 'kafkit: --by-duration: "soon" is not valid — expected a duration'],
    ['a bad topic scope', ['--topic', 'orders:1,x', '--to-latest'], 'kafkit: invalid topic scope "orders:1,x": partition "x" is not a non-negative integer — use --topic NAME or --topic NAME:0,2,5'],
  ])('rejects %s in one line, exit 1, before connecting', async (_, args, message) => {
    // An address nothing listens on: the flag error must come first.
    const res = await kafkit(['groups', 'reset-offsets', 'g', ...args], {bootstrap: '127.0.0.1:1'})
    expect(res.code).toBe(1)
    expect(res.stdout).toBe('')
    expect(res.stderr.startsWith(message)).toBe(true)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('names unknown topics and partitions in one line', async () => {
    const {topic, group} = await fixture([2])
    const res = await kafkit(['groups', 'reset-offsets', group, '--topic', `${topic}:0,4`, '--topic', 'no.such.topic', '--to-earliest'])
    expect(res.code).toBe(1)
    expect(res.stderr).toBe(`kafkit: unknown partition ${topic}:4 (${topic} has partitions 0); unknown topic "no.such.topic"\n`)
  })
})

describe('groups with active members', () => {
  it('refuses reset-offsets and delete, naming the member; both work right after it leaves (kafkajs #1219)', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const {topic, group} = await fixture()
    const member = await startMember(bootstrap, group, [topic])
    let memberId = ''
    try {
      const details = await kafkitJson(['groups', 'describe', group])
      memberId = details.members[0].consumerId

      const reset = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute'])
      expect(reset.code).toBe(1)
      expect(reset.stderr).toBe(
        `kafkit: cannot reset offsets of group "${group}": it has 1 active member: ${memberId} (client kafkit-test, host /127.0.0.1)` +
          ' — stop those consumers first; one stopped without leaving the group stays a member until its session times out\n',
      )
      const dry = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest'])
      expect(dry.code).toBe(1)

      const del = await kafkit(['groups', 'delete', group, '--yes'])
      expect(del.code).toBe(1)
      expect(del.stderr).toContain(`kafkit: cannot delete group "${group}": it has 1 active member: ${memberId}`)
      expect(kafkaCommitted(group)).toEqual(committedOf(topic, [5, 5, 5]))
    } finally {
      await member.stop()
    }

    // Straight after the member left: the coordinator may still be rebalancing; kafkit waits.
    const reset = await kafkitJson(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute'])
    expect(reset.executed).toBe(true)
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [0, 0, 0]))
  })

  it('resets right after consumers leave, again and again', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const {topic, group} = await fixture()
    for (const offset of [1, 2, 3]) {
      await consumeAndCommit(bootstrap, group, [topic], 1)
      const res = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-offset', String(offset), '--execute'])
      expect(res.stderr).toBe('')
      expect(res.code).toBe(0)
      expect(kafkaCommitted(group)).toEqual(committedOf(topic, [offset, offset, offset]))
    }
  })
})

describe('a member kafkit cannot see (KIP-848 consumer protocol, Java console consumer)', () => {
  it('bounces the commit until the member leaves, within --timeout, and says so when it does not', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const {topic, group} = await fixture()
    // Reads messages 5..9, then exits (leaving the group) after 45 s without new messages: long enough
    // that a loaded machine is still inside that window when the 2 s attempt below runs.
    const [java, ...javaArgs] = kafkaToolCommand(KafkaToolClass.consoleConsumer)
    const consumer = spawn(java, [...javaArgs, '--bootstrap-server', bootstrap, '--topic', topic, '--group', group,
      '--consumer-property', 'group.protocol=consumer', '--timeout-ms', '45000'], {stdio: 'ignore'})
    const exited = new Promise((resolve) => consumer.on('exit', resolve))
    try {
      // Kafka's own tool sees the member (kafkajs's DescribeGroups v2 reports such a group as Dead).
      for (let i = 0; ; i++) {
        const members = kafkaTool('consumerGroups', ['--describe', '--group', group, '--members'])
        if (/\bconsole-consumer\b/.test(members.stdout)) break
        if (i > 30) throw new Error(`the console consumer never joined: ${members.stdout}${members.stderr}`)
        await new Promise((r) => setTimeout(r, 500))
      }
      const described = await kafkitJson(['groups', 'describe', group])
      expect(described).toMatchObject({state: 'Unknown', members: []})
      expect((await kafkit(['groups', 'describe', group])).stdout).toContain('state Unknown: the group uses the KIP-848 consumer protocol')

      const refused = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute', '--timeout', '2s'])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(new RegExp(`^kafkit: group "${group.replace('.', '\\.')}" did not become inactive within 2s \\(the coordinator answers UNKNOWN_MEMBER_ID\\); nothing was committed — `))
      // Still the consumer's own offsets (5, or 10 once it auto-committed what it read), not 0.
      for (const offset of Object.values(kafkaCommitted(group))) expect(['5', '10']).toContain(offset)

      // Given time, the reset goes through as soon as the member has left.
      const waited = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute', '--timeout', '90s'])
      expect(waited.stderr).toBe('')
      expect(waited.code).toBe(0)
      // The broker accepted it because the member had left: its JVM is on its way out.
      const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))])
      expect(gone).toBe(true)
      expect(kafkaCommitted(group)).toEqual(committedOf(topic, [0, 0, 0]))
    } finally {
      consumer.kill()
      await exited
    }
  }, 240_000)
})

describe('groups delete', () => {
  it('asks for --yes without a terminal, deletes, and Kafka no longer lists the group', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const {topic, group} = await fixture([4], null)
    await consumeAndCommit(bootstrap, group, [topic], 2)
    const other = uniqueName('reset.delete')
    setWithKafkaTool(other, topic, 1)

    const refused = await kafkit(['groups', 'delete', group])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe('kafkit: not confirmed: stdin is not a terminal, so kafkit will not ask — add --yes to proceed\n')
    expect(kafkaTool('consumerGroups', ['--list']).stdout.split('\n')).toContain(group)

    const deleted = await kafkit(['groups', 'delete', group, other, '--yes'])
    expect(deleted.code).toBe(0)
    expect(deleted.stdout).toBe(`deleted group ${group}\ndeleted group ${other}\n`)
    const listed = kafkaTool('consumerGroups', ['--list']).stdout.split('\n')
    expect(listed).not.toContain(group)
    expect(listed).not.toContain(other)
  })

  it('refuses unknown groups before deleting anything', async () => {
    const {topic, group} = await fixture([6, 6])
    const res = await kafkit(['groups', 'delete', group, 'no.such.group', '--yes'])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^kafkit: consumer group "no\.such\.group" not found on 127\.0\.0\.1:\d+ — kafkit groups list shows what exists\n$/)
    expect(kafkaCommitted(group)).toEqual(committedOf(topic, [5, 5]))
  })
})
