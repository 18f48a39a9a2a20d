/**
 * groups delete-offsets and groups reset-offsets --to-group against a 3-node cluster, read back
 * with Kafka's own kafka-consumer-groups (ConsumerGroupCommand --describe / --delete-offsets).
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, inject, it} from 'vitest'

import {kafkaToolCommand} from '../../src/local/harness.js'
import {createTopic, kafkaCommitted, messagesPerPartition, produce} from '../groups-helpers.js'
import {kafkaTool, kafkit, kafkitJson, uniqueName, useBootstrap} from '../helpers.js'

let bootstrap: string
beforeAll(() => {
  bootstrap = inject('kafka3Bootstrap')
  useBootstrap(bootstrap)
})

/** A topic with 20 records per partition. */
async function topicWithRecords(partitions = 3): Promise<string> {
  const topic = uniqueName('goffsets.topic')
  await createTopic(bootstrap, topic, partitions, 3)
  await produce(bootstrap, topic, messagesPerPartition(Array.from({length: partitions}, () => 20)))
  return topic
}

/** Kafka's own tool commits `offset` for the group on `scope` (topic or topic:partitions). */
function setOffsets(group: string, scope: string, offset: number): void {
  const res = kafkaTool('consumerGroups', ['--reset-offsets', '--group', group, '--topic', scope, '--to-offset', String(offset), '--execute'], {bootstrap})
  expect(res.status, res.stderr).toBe(0)
}

const tmpFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'kafkit-goffsets-')), name)

describe('groups delete-offsets', () => {
  it('dry run, then --execute with --export; ConsumerGroupCommand sees them gone; the undo file puts them back', async () => {
    const topic = await topicWithRecords()
    const other = await topicWithRecords(1)
    const group = uniqueName('goffsets.group')
    setOffsets(group, topic, 7)
    setOffsets(group, other, 3)

    const dry = await kafkit(['groups', 'delete-offsets', group, '--topic', `${topic}:0,2`])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout.split('\n').slice(0, 3).map((l) => l.split(/\s+/))).toEqual([
      ['TOPIC', 'PARTITION', 'COMMITTED', 'OFFSET'],
      [topic, '0', '7'],
      [topic, '2', '7'],
    ])
    expect(dry.stdout).toContain(`dry run for group "${group}": 2 committed offsets would be deleted; nothing deleted (add --execute to delete them)`)
    expect(kafkaCommitted(group, bootstrap)).toEqual({[`${topic}:0`]: '7', [`${topic}:1`]: '7', [`${topic}:2`]: '7', [`${other}:0`]: '3'})

    const undo = tmpFile('undo.csv')
    const done = await kafkitJson(['groups', 'delete-offsets', group, '--topic', `${topic}:0,2`, '--topic', other, '--export', undo, '--execute'])
    expect(done.executed).toBe(true)
    expect(done.offsets).toHaveLength(3)
    expect(readFileSync(undo, 'utf8')).toBe(`${[`${topic},0,7`, `${topic},2,7`, `${other},0,3`].sort().join('\n')}\n`)
    expect(kafkaCommitted(group, bootstrap)).toEqual({[`${topic}:1`]: '7'})

    const restore = await kafkit(['groups', 'reset-offsets', group, '--from-file', undo, '--execute'])
    expect(restore.code, restore.stderr).toBe(0)
    expect(kafkaCommitted(group, bootstrap)).toEqual({[`${topic}:0`]: '7', [`${topic}:1`]: '7', [`${topic}:2`]: '7', [`${other}:0`]: '3'})
  })

  it('deletes what Kafka\'s --delete-offsets deletes', async () => {
    const topic = await topicWithRecords()
    const [ours, theirs] = [uniqueName('goffsets.ours'), uniqueName('goffsets.theirs')]
    for (const group of [ours, theirs]) {
      setOffsets(group, topic, 4)
    }
    const res = await kafkit(['groups', 'delete-offsets', ours, '--topic', `${topic}:1`, '--execute'])
    expect(res.code, res.stderr).toBe(0)
    const tool = kafkaTool('consumerGroups', ['--delete-offsets', '--group', theirs, '--topic', `${topic}:1`], {bootstrap})
    expect(tool.status, tool.stderr).toBe(0)
    expect(kafkaCommitted(ours, bootstrap)).toEqual(kafkaCommitted(theirs, bootstrap))
    expect(Object.keys(kafkaCommitted(ours, bootstrap)).sort()).toEqual([`${topic}:0`, `${topic}:2`])
  })

  it('refuses while the group is subscribed to the topic, as Kafka does (GROUP_SUBSCRIBED_TO_TOPIC)', async () => {
    const topic = await topicWithRecords(1)
    const group = uniqueName('goffsets.live')
    setOffsets(group, topic, 5)
    // A Java consumer: the coordinator reads its subscription from the member metadata. (With a
    // kafkajs member, Kafka 4.1.1's --delete-offsets succeeded: the coordinator did not see the
    // subscription. kafkit refuses by the members' assignments either way.)
    const [java, ...javaArgs] = kafkaToolCommand('org.apache.kafka.tools.consumer.ConsoleConsumer')
    const member = spawn(java, [...javaArgs, '--bootstrap-server', bootstrap, '--topic', topic, '--group', group], {stdio: 'ignore'})
    try {
      await expect.poll(async () => (await kafkitJson(['groups', 'describe', group])).members.length, {timeout: 60_000, interval: 1000}).toBe(1)
      const res = await kafkit(['groups', 'delete-offsets', group, '--topic', topic, '--execute'])
      expect(res.code).toBe(1)
      expect(res.stderr).toMatch(new RegExp(`^kafkit: cannot delete offsets of group "${group.replaceAll('.', '\\.')}" for "${topic.replaceAll('.', '\\.')}": the group is subscribed to that topic \\(1 active member: .+\\) — Kafka deletes offsets only of topics the group no longer consumes`))
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
      // Kafka's tool is refused too.
      const tool = kafkaTool('consumerGroups', ['--delete-offsets', '--group', group, '--topic', topic], {bootstrap})
      expect(`${tool.stdout}${tool.stderr}`).toMatch(/GroupSubscribedToTopic|subscribed to the topic/i)
      // Still there (the Java consumer itself commits as it reads, so not necessarily 5).
      expect(Object.keys(kafkaCommitted(group, bootstrap))).toEqual([`${topic}:0`])
    } finally {
      member.kill('SIGKILL')
    }
  })

  it('bad input is one line and exit 1', async () => {
    const topic = await topicWithRecords(2)
    const group = uniqueName('goffsets.bad')
    setOffsets(group, `${topic}:0`, 2)
    const cases: [string[], string][] = [
      [['--topic', `${topic}:7`], `kafkit: ${topic} has no partition 7 (it has 0,1)`],
      [['--topic', `${topic}:1`], `kafkit: group "${group}" has no committed offset for ${topic}:1`],
      [['--topic', `${topic}.nope`], `kafkit: unknown topic "${topic}.nope" (and the group has no offsets for it)`],
      [['--topic', `${topic}:x`], `kafkit: invalid topic scope "${topic}:x"`],
    ]
    for (const [args, expected] of cases) {
      const res = await kafkit(['groups', 'delete-offsets', group, ...args, '--execute'])
      expect(res.code, args.join(' ')).toBe(1)
      expect(res.stderr.startsWith(expected), res.stderr).toBe(true)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
    }
    const unknown = await kafkit(['groups', 'delete-offsets', `${group}.nope`, '--topic', topic])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^kafkit: consumer group ".*\.nope" not found on /)
    const noTopic = await kafkit(['groups', 'delete-offsets', group])
    expect(noTopic.code).toBe(1)
    expect(noTopic.stderr.trim().split('\n')).toHaveLength(1)
    expect(kafkaCommitted(group, bootstrap)).toEqual({[`${topic}:0`]: '2'})
  })
})

describe('groups reset-offsets --to-group', () => {
  it("copies another group's committed offsets: dry run first, then --execute --export; ConsumerGroupCommand agrees", async () => {
    const topic = await topicWithRecords()
    const [source, target] = [uniqueName('goffsets.source'), uniqueName('goffsets.target')]
    setOffsets(source, `${topic}:0`, 3)
    setOffsets(source, `${topic}:1`, 11)
    setOffsets(source, `${topic}:2`, 20)
    setOffsets(target, topic, 1)

    const dry = await kafkitJson(['groups', 'reset-offsets', target, '--topic', topic, '--to-group', source])
    expect(dry.executed).toBe(false)
    expect(dry.plan.rows.map((r: {partition: number; current: number; new: number}) => [r.partition, r.current, r.new])).toEqual([
      [0, 1, 3],
      [1, 1, 11],
      [2, 1, 20],
    ])
    expect(kafkaCommitted(target, bootstrap)).toEqual({[`${topic}:0`]: '1', [`${topic}:1`]: '1', [`${topic}:2`]: '1'})

    const undo = tmpFile('before.csv')
    const res = await kafkit(['groups', 'reset-offsets', target, '--all-topics', '--to-group', source, '--export', undo, '--execute'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain(`reset group "${target}": 3 partitions, 3 changed, total delta +31; committed and read back`)
    expect(kafkaCommitted(target, bootstrap)).toEqual(kafkaCommitted(source, bootstrap))
    expect(readFileSync(undo, 'utf8')).toBe(`${topic},0,1\n${topic},1,1\n${topic},2,1\n`)
  })

  it('refuses partitions the other group has no offset for, itself, and an unknown group, in one line', async () => {
    const topic = await topicWithRecords(2)
    const [source, target] = [uniqueName('goffsets.src'), uniqueName('goffsets.dst')]
    setOffsets(source, `${topic}:0`, 4)
    const cases: [string[], string][] = [
      [['--topic', topic, '--to-group', source], `kafkit: group "${source}" has no committed offset for ${topic}:1, so there is nothing to copy there`],
      [['--topic', topic, '--to-group', target], `kafkit: --to-group names group "${target}" itself`],
      [['--topic', topic, '--to-group', `${source}.nope`], `kafkit: consumer group "${source}.nope" (--to-group) not found on `],
      [['--topic', topic, '--to-group', source, '--to-latest'], 'kafkit: --to-latest and --to-group cannot be combined'],
    ]
    for (const [args, expected] of cases) {
      const res = await kafkit(['groups', 'reset-offsets', target, ...args, '--execute'])
      expect(res.code, args.join(' ')).toBe(1)
      expect(res.stderr.startsWith(expected), res.stderr).toBe(true)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
    }
    expect(kafkaCommitted(target, bootstrap)).toEqual({})
  })

  it('shell completion offers group names after --to-group and knows delete-offsets', async () => {
    const res = await kafkit(['__complete', '--', 'groups', 'del'])
    expect(res.stdout.trim().split('\n').sort()).toEqual(['delete', 'delete-offsets'])
    const flags = await kafkit(['__complete', '--', 'groups', 'reset-offsets', 'g', '--to-g'])
    expect(flags.stdout.trim()).toBe('--to-group')
  })
})
