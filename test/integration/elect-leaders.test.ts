/**
 * kafkit topics elect-leaders and the preferred-leader note of cluster health on the 3-node
 * cluster, cross-checked with Kafka's own LeaderElectionCommand and kafka-topics --describe.
 * Never --all here: other test files run on the same cluster at the same time.
 */
import kafkajs from 'kafkajs'
import {afterAll, describe, expect, inject, it} from 'vitest'

import {kafkaTool, kafkit, kafkitJson, uniqueName} from '../helpers.js'

const bootstrap = inject('kafka3Bootstrap')
const kafka = new kafkajs.Kafka({brokers: bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING})
const admin = kafka.admin()
const topics: string[] = []

afterAll(async () => {
  if (topics.length > 0) await kafkit(['topics', 'delete', ...topics, '--yes'], {bootstrap})
  await admin.disconnect()
})

/** Leader and replicas of each partition, as kafka-topics --describe prints them. */
function toolLeaders(topic: string): {leader: number; replicas: number[]}[] {
  const res = kafkaTool('topics', ['--describe', '--topic', topic], {bootstrap})
  expect(res.status, res.stderr).toBe(0)
  return [...res.stdout.matchAll(/Partition: (\d+)\s+Leader: (\d+)\s+Replicas: ([\d,]+)/g)]
    .sort((x, y) => Number(x[1]) - Number(y[1]))
    .map((m) => ({leader: Number(m[2]), replicas: m[3].split(',').map(Number)}))
}

/** A topic of two partitions whose leaders are not their preferred replicas (the replica lists reordered after creation). */
async function topicWithMovedPreference(): Promise<{topic: string; a: number; b: number; c: number}> {
  await admin.connect()
  const topic = uniqueName('elect')
  topics.push(topic)
  const {brokers} = await admin.describeCluster()
  const [a, b, c] = brokers.map((x) => x.nodeId).sort((x, y) => x - y)
  await admin.createTopics({topics: [{topic, replicaAssignment: [{partition: 0, replicas: [a, b, c]}, {partition: 1, replicas: [b, c, a]}]}], waitForLeaders: true})
  await expect.poll(() => toolLeaders(topic).map((p) => p.leader), {timeout: 30_000}).toEqual([a, b])
  await admin.alterPartitionReassignments({topics: [{topic, partitionAssignment: [{partition: 0, replicas: [b, a, c]}, {partition: 1, replicas: [c, b, a]}]}]})
  await expect.poll(() => toolLeaders(topic), {timeout: 30_000}).toEqual([{leader: a, replicas: [b, a, c]}, {leader: b, replicas: [c, b, a]}])
  return {topic, a, b, c}
}

describe('topics elect-leaders', () => {
  it('elects the preferred replica, reports partitions that need no election, agrees with LeaderElectionCommand', async () => {
    const {topic, b, c} = await topicWithMovedPreference()

    // cluster health counts them as a note: not a problem, the exit code follows only the problems.
    const health = await kafkit(['cluster', 'health', '-o', 'json'], {bootstrap})
    const report = JSON.parse(health.stdout)
    expect(health.code).toBe(report.healthy ? 0 : 3)
    expect(report.notLedByPreferredReplica).toBeGreaterThanOrEqual(2)
    const table = await kafkit(['cluster', 'health'], {bootstrap})
    expect(table.stdout).toMatch(/^note: \d+ partitions are not led by the preferred \(first\) replica; kafkit topics elect-leaders --all moves leadership back$/m)

    // Kafka's own tool moves partition 1; kafkit then finds it needs nothing and moves partition 0.
    const tool = kafkaTool('leaderElection', ['--election-type', 'PREFERRED', '--topic', topic, '--partition', '1'], {bootstrap})
    expect(tool.status, tool.stderr).toBe(0)
    expect(tool.stdout).toContain(`Successfully completed leader election (PREFERRED) for partitions ${topic}-1`)
    await expect.poll(() => toolLeaders(topic)[1].leader, {timeout: 30_000}).toBe(c)

    const res = await kafkit(['topics', 'elect-leaders', '--topic', topic], {bootstrap})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toMatch(new RegExp(`${topic.replace(/\./g, '\\.')}\\s+0\\s+${b}\\s+elected: broker ${b} leads`))
    expect(res.stdout).toMatch(new RegExp(`${topic.replace(/\./g, '\\.')}\\s+1\\s+${c}\\s+already led by its preferred replica`))
    expect(res.stdout).toContain('1 elected, 1 already led by their preferred replica, 0 failed (2 partitions, preferred election)')
    await expect.poll(() => toolLeaders(topic)[0].leader, {timeout: 30_000}).toBe(b)

    // Kafka's tool now finds nothing to do for partition 0, and neither does kafkit (-o json, T:P form).
    const toolAgain = kafkaTool('leaderElection', ['--election-type', 'PREFERRED', '--topic', topic, '--partition', '0'], {bootstrap})
    expect(toolAgain.stdout + toolAgain.stderr).toContain(`Valid replica already elected for partitions ${topic}-0`)
    const again = await kafkitJson(['topics', 'elect-leaders', '--topic', `${topic}:0,1`], {bootstrap})
    expect(again).toEqual({
      type: 'preferred',
      elected: 0,
      notNeeded: 2,
      failed: 0,
      partitions: [
        {topic, partition: 0, preferred: b, outcome: 'not-needed', code: 'ELECTION_NOT_NEEDED', detail: 'already led by its preferred replica'},
        {topic, partition: 1, preferred: c, outcome: 'not-needed', code: 'ELECTION_NOT_NEEDED', detail: 'already led by its preferred replica'},
      ],
    })
  })

  it('--unclean warns, asks (refused without a terminal), and with --yes leaves a led partition alone', async () => {
    const topic = uniqueName('elect.unclean')
    topics.push(topic)
    expect((await kafkit(['topics', 'create', topic, '-p', '2', '-r', '3'], {bootstrap})).code).toBe(0)
    const refused = await kafkit(['topics', 'elect-leaders', '--topic', topic, '--unclean'], {bootstrap})
    expect([refused.code, refused.stdout]).toEqual([1, ''])
    expect(refused.stderr).toBe(
      'kafkit: warning: unclean election: a replica that is not in sync may become leader, and the records it lacks are lost for good\n' +
        'kafkit: not confirmed: stdin is not a terminal, so kafkit will not ask — add --yes to proceed\n',
    )
    const res = await kafkitJson(['topics', 'elect-leaders', '--topic', `${topic}:1`, '--unclean', '--yes'], {bootstrap})
    expect(res).toMatchObject({type: 'unclean', elected: 0, notNeeded: 1, failed: 0, partitions: [{partition: 1, outcome: 'not-needed', detail: 'has a leader: nothing to do'}]})
  })

  it('bad input is one line and exit 1', async () => {
    const topic = uniqueName('elect.bad')
    topics.push(topic)
    expect((await kafkit(['topics', 'create', topic, '-p', '3', '-r', '1'], {bootstrap})).code).toBe(0)
    const cases: [string[], string][] = [
      [['--topic', `${topic}:7`], `kafkit: topic ${topic} has no partition 7 (it has 3 partitions: 0-2)\n`],
      [['--topic', `${topic}:1,5-6`], `kafkit: topic ${topic} has no partition 5, 6 (it has 3 partitions: 0-2)\n`],
      [['--topic', `${topic}x`], `kafkit: topic "${topic}x" does not exist (did you mean "${topic}"?) — kafkit topics list shows what exists\n`],
      [['--topic', `${topic}:a`], `kafkit: --topic "${topic}:a": "a" is not a partition number\n`],
      [['--topic', `${topic}:`], `kafkit: --topic "${topic}:": no partition after ":" (e.g. ${topic}:0,1)\n`],
      [['--all', '--topic', topic], 'kafkit: --all and --topic cannot be used together: --all elects for every partition\n'],
      [[], 'kafkit: name the partitions: --topic T[:P,...] (repeatable) or --all\n'],
    ]
    for (const [args, stderr] of cases) {
      const res = await kafkit(['topics', 'elect-leaders', ...args], {bootstrap})
      expect([res.code, res.stdout, res.stderr], args.join(' ')).toEqual([1, '', stderr])
    }
  })
})
