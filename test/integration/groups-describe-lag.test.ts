/**
 * groups list / describe / lag against real brokers, cross-checked with Kafka's own
 * kafka-consumer-groups --describe on the same groups.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, inject, it} from 'vitest'

import {
  asKafkaRows,
  consumeAndCommit,
  createTopic,
  kafkaCoordinatorId,
  kafkaDescribe,
  messagesPerPartition,
  produce,
  startMember,
} from '../groups-helpers.js'
import {kafkaTool, kafkit, kafkitJson, uniqueName} from '../helpers.js'

describe('groups describe and lag equal kafka-consumer-groups --describe', () => {
  it('for a group consumed part-way across two topics', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const orders = uniqueName('groups.orders')
    const payments = uniqueName('groups.payments')
    const group = uniqueName('groups.partway')
    await createTopic(bootstrap, orders, 3)
    await createTopic(bootstrap, payments, 2)
    await produce(bootstrap, orders, messagesPerPartition([10, 20, 30]))
    await produce(bootstrap, payments, messagesPerPartition([7, 0]))
    await consumeAndCommit(bootstrap, group, [orders, payments], 25)

    const details = await kafkitJson(['groups', 'describe', group])
    const kafka = kafkaDescribe(group)
    expect(kafka.size).toBeGreaterThan(0)
    expect(asKafkaRows(details.partitions)).toEqual(kafka)
    expect(details.state).toBe('Empty')
    expect(details.members).toEqual([])

    // The group committed exactly 25 messages; the rest (67 - 25 = 42) minus the partitions it never
    // committed on is its lag. Kafka's rows sum to the same.
    const kafkaLag = [...kafka.values()].reduce((sum, row) => sum + (row.lag === '-' ? 0 : Number(row.lag)), 0)
    expect(details.totalLag).toBe(kafkaLag)
    const committedTotal = details.partitions.reduce((sum: number, p: any) => sum + (p.committed ?? 0), 0)
    expect(committedTotal).toBe(25)
    for (const topic of details.topics) {
      const rows = details.partitions.filter((p: any) => p.topic === topic.topic)
      expect(topic.lag).toBe(rows.reduce((sum: number, p: any) => sum + (p.lag ?? 0), 0))
    }

    const lag = await kafkitJson(['groups', 'lag', group])
    expect(lag.groups).toHaveLength(1)
    expect(asKafkaRows(lag.groups[0].partitions)).toEqual(kafka)
    expect(lag.groups[0].totalLag).toBe(kafkaLag)
    expect(lag.breaches).toEqual([])

    const table = await kafkit(['groups', 'describe', group])
    expect(table.code).toBe(0)
    expect(table.stdout).toContain('TOPIC')
    expect(table.stdout).toMatch(/CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\s+CONSUMER-ID\s+HOST\s+CLIENT-ID/)
    expect(table.stdout).toMatch(new RegExp(`total lag:\\s+${kafkaLag}\\b`))
  })

  it('with a live member: members, assignment, owners and coordinator as Kafka reports them', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const topic = uniqueName('groups.live')
    const group = uniqueName('groups.live')
    await createTopic(bootstrap, topic, 3)
    await produce(bootstrap, topic, messagesPerPartition([5, 5, 5]))
    await consumeAndCommit(bootstrap, group, [topic], 4)
    const member = await startMember(bootstrap, group, [topic])
    try {
      // Two tools, two moments: compare snapshots both taken while the group was stable (a
      // rebalance in between shows owners to one and not the other).
      let details: any
      let kafka: ReturnType<typeof kafkaDescribe> = new Map()
      for (let attempt = 1; attempt <= 5; attempt++) {
        details = await kafkitJson(['groups', 'describe', group])
        kafka = kafkaDescribe(group)
        if (details.state === 'Stable' && [...kafka.values()].every((row) => row.consumerId !== '-') && kafka.size === 3) break
        await new Promise((r) => setTimeout(r, 1000))
      }
      expect(details.state).toBe('Stable')
      expect(details.protocolType).toBe('consumer')
      expect(details.members).toHaveLength(1)
      expect(details.members[0].clientId).toBe('kafkit-test')
      expect(details.members[0].assignment).toEqual([0, 1, 2].map((partition) => ({topic, partition})))
      expect(details.coordinator.nodeId).toBe(kafkaCoordinatorId(group))
      // Owners included: every assigned partition is a row, committed or not.
      expect(asKafkaRows(details.partitions)).toEqual(kafka)
      expect(details.partitions.every((p: any) => p.owner?.consumerId === details.members[0].consumerId)).toBe(true)

      const list = await kafkitJson(['groups', 'list'])
      expect(list).toContainEqual({group, state: 'Stable', protocolType: 'consumer', members: 1, topics: [topic]})
    } finally {
      await member.stop()
    }
  })

  it('lag of many groups in few requests, with the same numbers as Kafka', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const topic = uniqueName('groups.many')
    await createTopic(bootstrap, topic, 4)
    await produce(bootstrap, topic, messagesPerPartition([10, 10, 10, 10]))
    const groups = [uniqueName('groups.many'), uniqueName('groups.many'), uniqueName('groups.many')]
    for (const [i, group] of groups.entries()) await consumeAndCommit(bootstrap, group, [topic], 5 + 10 * i)

    const res = await kafkit(['groups', 'lag', ...groups, '-o', 'json'], {env: {KAFKIT_REQUEST_STATS: '1'}})
    expect(res.code).toBe(0)
    const lag = JSON.parse(res.stdout)
    expect(lag.groups.map((g: any) => g.group)).toEqual(groups)
    for (const g of lag.groups) {
      const kafka = kafkaDescribe(g.group)
      expect(asKafkaRows(g.partitions)).toEqual(kafka)
      expect(g.totalLag).toBe([...kafka.values()].reduce((sum, row) => sum + (row.lag === '-' ? 0 : Number(row.lag)), 0))
    }
    // 5, 15 and 25 messages committed: the group that read most has the most committed offsets.
    expect(lag.groups.map((g: any) => g.partitions.reduce((sum: number, p: any) => sum + (p.committed ?? 0), 0))).toEqual([5, 15, 25])

    // One broker: one ListOffsets for every partition of every group, one DescribeGroups and one
    // OffsetFetch (v8) for all groups, and no FindCoordinator (placement comes from metadata).
    const counts = Object.fromEntries([...res.stderr.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]))
    expect(counts).toMatchObject({ListOffsets: 1, DescribeGroups: 1, OffsetFetch: 1, Metadata: 1})
    expect(counts.GroupCoordinator ?? counts.FindCoordinator).toBeUndefined()

    const all = await kafkitJson(['groups', 'lag', '--all-groups'])
    for (const group of groups) expect(all.groups.map((g: any) => g.group)).toContain(group)
  })

  it('--fail-above exits 3 when a group is above the threshold, 0 otherwise (through bin/run.js)', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const topic = uniqueName('groups.alert')
    const group = uniqueName('groups.alert')
    await createTopic(bootstrap, topic, 1)
    await produce(bootstrap, topic, messagesPerPartition([50]))
    await consumeAndCommit(bootstrap, group, [topic], 20)

    const breached = await kafkit(['groups', 'lag', group, '--fail-above', '29'])
    expect(breached.code).toBe(3)
    expect(breached.stderr).toBe('')
    expect(breached.stdout).toContain(`lag above 29: ${group} (30)`)

    const ok = await kafkit(['groups', 'lag', group, '--fail-above', '30'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain("no group's lag is above 30")

    const json = await kafkit(['groups', 'lag', group, '--fail-above', '10', '-o', 'json'])
    expect(json.code).toBe(3)
    expect(JSON.parse(json.stdout).breaches).toEqual([{group, lag: 30, threshold: 10}])

    const bad = await kafkit(['groups', 'lag', group, '--fail-above', '-1'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toBe('kafkit: --fail-above: "-1" is not a number of messages — e.g. --fail-above 10000\n')
  })

  it('--time-lag is the age of the next unconsumed message, per group, however big its batch', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const topic = uniqueName('groups.timelag')
    const [early, late, caughtUp] = [uniqueName('groups.timelag'), uniqueName('groups.timelag'), uniqueName('groups.timelag')]
    const hourAgo = Date.now() - 3_600_000
    await createTopic(bootstrap, topic, 2)
    // Partition 0: a small batch, one message a minute from an hour ago. Partition 1: one 200 KiB
    // batch (more than kafkit reads per partition at first), one message a second from 30 min later.
    await produce(bootstrap, topic, messagesPerPartition([10], (_, i) => hourAgo + i * 60_000))
    await produce(
      bootstrap,
      topic,
      Array.from({length: 100}, (_, i) => ({partition: 1, timestamp: hourAgo + 1_800_000 + i * 1000, value: `${i}`.padEnd(2048, '.')})),
    )
    // Two groups at different offsets of the same partitions, set with Kafka's own tool.
    const set = (group: string, partition: number, offset: number) =>
      expect(kafkaTool('consumerGroups', ['--reset-offsets', '--group', group, '--topic', `${topic}:${partition}`, '--to-offset', String(offset), '--execute']).status).toBe(0)
    set(early, 0, 3)
    set(early, 1, 50)
    set(late, 0, 7)
    set(late, 1, 99)
    set(caughtUp, 0, 10)

    const before = Date.now()
    const lag = await kafkitJson(['groups', 'lag', early, late, caughtUp, '--time-lag'])
    const after = Date.now()
    const expectAge = (row: any, producedAt: number) => {
      expect(row.timeLagMs).toBeGreaterThanOrEqual(before - producedAt)
      expect(row.timeLagMs).toBeLessThanOrEqual(after - producedAt)
    }
    const [e0, e1] = lag.groups[0].partitions
    expect([e0.lag, e1.lag]).toEqual([7, 50])
    expectAge(e0, hourAgo + 3 * 60_000)
    expectAge(e1, hourAgo + 1_800_000 + 50_000)
    expect(lag.groups[0].maxTimeLagMs).toBe(e0.timeLagMs)
    const [l0, l1] = lag.groups[1].partitions
    expectAge(l0, hourAgo + 7 * 60_000)
    expectAge(l1, hourAgo + 1_800_000 + 99_000)
    expect(lag.groups[2].partitions).toEqual([expect.objectContaining({partition: 0, lag: 0, timeLagMs: null})])
    expect(lag.groups[2].maxTimeLagMs).toBeNull()

    // The table shows the same age, to the second, whatever time the test itself took.
    const tableBefore = Date.now()
    const table = await kafkit(['groups', 'lag', early, '--time-lag'])
    const tableAfter = Date.now()
    expect(table.stdout).toMatch(/TIME-LAG/)
    // 57m12s, or 1h00m once the test has taken over three minutes (the unit below is dropped)
    const shown = /\b(\d+)(h|m)(\d\d)(m|s)\b/.exec(table.stdout)
    expect(shown, table.stdout).not.toBeNull()
    const unitMs = shown![2] === 'h' ? 60_000 : 1000
    const shownMs = (Number(shown![1]) * 60 + Number(shown![3])) * unitMs
    expect(shownMs).toBeGreaterThanOrEqual(tableBefore - (hourAgo + 3 * 60_000) - unitMs)
    expect(shownMs).toBeLessThanOrEqual(tableAfter - (hourAgo + 3 * 60_000))
  })

  it('names unknown groups in one line, exit 1', async () => {
    const describeRes = await kafkit(['groups', 'describe', 'no.such.group'])
    expect(describeRes.code).toBe(1)
    expect(describeRes.stdout).toBe('')
    expect(describeRes.stderr).toMatch(/^kafkit: consumer group "no\.such\.group" not found on 127\.0\.0\.1:\d+ — kafkit groups list shows what exists\n$/)

    const lagRes = await kafkit(['groups', 'lag', 'no.such.group', 'nor.this'])
    expect(lagRes.code).toBe(1)
    expect(lagRes.stderr).toMatch(/^kafkit: consumer groups "no\.such\.group", "nor\.this" not found on /)
    expect(lagRes.stderr.trim().split('\n')).toHaveLength(1)

    const none = await kafkit(['groups', 'lag'])
    expect(none.code).toBe(1)
    expect(none.stderr).toBe('kafkit: no groups given — name groups (kafkit groups lag orders-app billing) or pass --all-groups\n')
  })

  it('lists the groups Kafka lists', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const topic = uniqueName('groups.listed')
    const group = uniqueName('groups.listed')
    await createTopic(bootstrap, topic, 1)
    await produce(bootstrap, topic, messagesPerPartition([3]))
    await consumeAndCommit(bootstrap, group, [topic], 2)
    const list = await kafkitJson(['groups', 'list'])
    expect(list).toContainEqual({group, state: 'Empty', protocolType: 'consumer', members: 0, topics: [topic]})
    // Other tests create and delete groups meanwhile, so only this test's group is compared.
    expect(kafkaTool('consumerGroups', ['--list']).stdout.split('\n')).toContain(group)
  })
})

describe('on three brokers', () => {
  // (four consumer groups join and commit one after the other: minutes on a loaded 2-core machine)
  it('finds each group on its coordinator and matches Kafka, partitions led by different brokers', {timeout: 300_000}, async () => {
    const bootstrap = inject('kafka3Bootstrap')
    const topic = uniqueName('groups.three')
    await createTopic(bootstrap, topic, 6, 3)
    await produce(bootstrap, topic, messagesPerPartition([6, 5, 4, 3, 2, 1]))
    const groups = Array.from({length: 4}, () => uniqueName('groups.three'))
    for (const [i, group] of groups.entries()) await consumeAndCommit(bootstrap, group, [topic], 3 + i)

    const res = await kafkit(['groups', 'lag', ...groups, '-o', 'json'], {bootstrap, env: {KAFKIT_REQUEST_STATS: '1'}})
    expect(res.code).toBe(0)
    for (const g of JSON.parse(res.stdout).groups) expect(asKafkaRows(g.partitions)).toEqual(kafkaDescribe(g.group, bootstrap))
    const counts = Object.fromEntries([...res.stderr.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]))
    // At most one ListOffsets per broker, and one DescribeGroups and OffsetFetch per coordinator,
    // however many groups and partitions.
    expect(counts.ListOffsets).toBeLessThanOrEqual(3)
    expect(counts.DescribeGroups).toBeLessThanOrEqual(3)
    expect(counts.OffsetFetch).toBeLessThanOrEqual(3)

    for (const group of groups) {
      const details = await kafkitJson(['groups', 'describe', group], {bootstrap})
      expect(details.coordinator.nodeId).toBe(kafkaCoordinatorId(group, bootstrap))
      expect(asKafkaRows(details.partitions)).toEqual(kafkaDescribe(group, bootstrap))
    }
  })
})

describe('through TLS + SCRAM-SHA-512', () => {
  it('describes, lags and resets with the same client settings as every other command', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const secure = inject('kafkaSecure')
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-groups-sec-'))
    const config = join(dir, 'config.yaml')
    writeFileSync(
      config,
      `currentContext: secure\ncontexts:\n  secure:\n    brokers: [${secure.bootstrap}]\n    tls: {ca: ${secure.caFile}}\n` +
        `    sasl: {mechanism: scram-sha-512, username: ${secure.username}, passwordEnv: TEST_KAFKA_PASSWORD}\n`,
    )
    const env = {KAFKIT_CONFIG: config, KAFKA_BOOTSTRAP_SERVERS: undefined, TEST_KAFKA_PASSWORD: secure.password}
    const topic = uniqueName('groups.secure')
    const group = uniqueName('groups.secure')
    await createTopic(bootstrap, topic, 2)
    await produce(bootstrap, topic, messagesPerPartition([4, 4]))
    await consumeAndCommit(bootstrap, group, [topic], 3)

    const lag = await kafkit(['groups', 'lag', group, '-o', 'json'], {env})
    expect(lag.stderr).toBe('')
    expect(asKafkaRows(JSON.parse(lag.stdout).groups[0].partitions)).toEqual(kafkaDescribe(group))
    const describeRes = await kafkit(['groups', 'describe', group, '-o', 'json'], {env})
    expect(JSON.parse(describeRes.stdout).coordinator.port).toBe(Number(secure.bootstrap.split(':')[1]))
    const reset = await kafkit(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute'], {env})
    expect(reset.code, reset.stderr).toBe(0)
    expect([...kafkaDescribe(group).values()].map((row) => row.current)).toEqual(['0', '0'])
  })
})
