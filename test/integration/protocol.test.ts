/**
 * The admin requests kafkajs lacks (src/kafka/protocol, src/kafka/admin-extra.ts) against the real
 * brokers, each cross-checked with Kafka's own tools; and `topics apply` through
 * IncrementalAlterConfigs leaving an override it did not plan alone.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import kafkajs from 'kafkajs'
import {afterAll, describe, expect, inject, it} from 'vitest'

import {applyTopicPlan, planTopics, readTopicsFile} from '../../src/app/declarative-topics.js'
import {adminExtra} from '../../src/kafka/admin-extra.js'
import {kafkaClient} from '../../src/kafka/client.js'
import {KafkaConnection} from '../../src/kafka/connection.js'
import {POLICY_OFF_YAML, kafkaTool, kafkit, uniqueName} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'kafkit-protocol-'))
const connections: KafkaConnection[] = []

function connect(bootstrap: string, extra: Partial<KafkaConnection['settings']> = {}): KafkaConnection {
  const conn = new KafkaConnection({settings: {brokers: bootstrap.split(','), source: 'test', clientId: 'kafkit-protocol-test', ...extra}, timeoutMs: 20_000})
  connections.push(conn)
  return conn
}

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()))
})

/** Overrides set on the topic, as Kafka's own kafka-configs reports them. */
function liveOverrides(topic: string): Record<string, string> {
  const res = kafkaTool('configs', ['--entity-type', 'topics', '--entity-name', topic, '--describe'])
  expect(res.status, res.stderr).toBe(0)
  const out: Record<string, string> = {}
  for (const m of res.stdout.matchAll(/^\s+([a-z.]+)=(\S*) sensitive=/gm)) out[m[1]] = m[2]
  return out
}

async function createTopic(topic: string, args: string[] = ['-p', '1', '-r', '1'], bootstrap?: string): Promise<void> {
  const res = await kafkit(['topics', 'create', topic, ...args], {bootstrap})
  expect(res.code, res.stderr).toBe(0)
}

describe('IncrementalAlterConfigs (KIP-339)', () => {
  it('sets and deletes single keys and leaves the other overrides; errors come per topic', async () => {
    const conn = connect(inject('kafkaBootstrap'))
    const topic = uniqueName('iac')
    await createTopic(topic, ['-p', '1', '-r', '1', '--config', 'retention.ms=86400000', '--config', 'segment.ms=3600000', '--config', 'cleanup.policy=delete'])
    const results = await adminExtra(conn).incrementalAlterConfigs([
      {type: 'topic', name: topic, set: {'retention.ms': '172800000', 'max.message.bytes': '524288'}, delete: ['segment.ms']},
      {type: 'topic', name: uniqueName('iac.missing'), set: {'retention.ms': '1000'}},
    ])
    expect(results[0]).toEqual({type: 'topic', name: topic, error: null})
    expect(results[1].error?.code).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(liveOverrides(topic)).toEqual({'retention.ms': '172800000', 'max.message.bytes': '524288', 'cleanup.policy': 'delete'})

    const [invalid] = await adminExtra(conn).incrementalAlterConfigs([{type: 'topic', name: topic, set: {'retention.ms': 'soon'}}])
    expect(invalid.error?.code).toBe('INVALID_CONFIG')
    // The broker's own words name the key and the value.
    expect(invalid.error?.message).toMatch(/retention\.ms/)
    expect(liveOverrides(topic)['retention.ms']).toBe('172800000')

    // A broker's own configs go to that broker; one that does not exist is named, nothing is sent.
    const [noBroker] = await adminExtra(conn).incrementalAlterConfigs([{type: 'broker', name: '99', set: {'log.cleaner.threads': '2'}}])
    expect(noBroker.error).toEqual({code: 'BROKER_NOT_FOUND', message: 'no broker with id 99 in the cluster'})
  })
})

describe('topics apply through IncrementalAlterConfigs', () => {
  it('an override changed between plan and apply that the plan does not touch survives apply', async () => {
    const conn = connect(inject('kafkaBootstrap'))
    const d = `p${Math.random().toString(16).slice(2, 10)}`
    const topic = `${d}.orders.created`
    await createTopic(topic, ['-p', '1', '-r', '1', '--config', 'retention.ms=86400000', '--config', 'cleanup.policy=delete'])
    const file = join(dir, `${d}.yaml`)
    writeFileSync(
      file,
      `version: 1
${POLICY_OFF_YAML}topics:
  - {name: ${topic}, partitions: 1, replicationFactor: 1, config: {retention.ms: 3d, cleanup.policy: delete}}
`,
    )
    const {spec} = readTopicsFile(file)
    const kafka = kafkaClient(conn)
    const {plan} = await planTopics(kafka, spec!, {prune: false})
    expect(plan.changes).toEqual([expect.objectContaining({kind: 'config', topic, entries: [expect.objectContaining({name: 'retention.ms', action: 'change'})]})])

    // Someone else, after the plan: a key the file does not declare (the plan saw no override of
    // it, so it holds no change for it) and a declared key the plan saw in sync.
    const other = kafkaTool('configs', ['--entity-type', 'topics', '--entity-name', topic, '--alter', '--add-config', 'segment.ms=7200000,cleanup.policy=compact'])
    expect(other.status, other.stderr).toBe(0)

    const report = await applyTopicPlan(kafka, spec!, plan, {prune: false, reassignmentTimeoutMs: 30_000})
    expect(report.failed).toEqual([])
    expect(report.applied).toEqual([{topic, kind: 'config'}])
    // The planned change is made; the other writer's changes are not reverted (AlterConfigs, with
    // the override set of plan time, removed segment.ms and set cleanup.policy back to delete).
    expect(liveOverrides(topic)).toEqual({'retention.ms': '259200000', 'segment.ms': '7200000', 'cleanup.policy': 'compact'})
    // The next plan shows them as drift, for a person to decide.
    const after = report.after!.plan.changes.find((c) => c.kind === 'config')
    expect(after).toMatchObject({
      entries: [expect.objectContaining({name: 'cleanup.policy', action: 'change', from: 'compact', to: 'delete'}), expect.objectContaining({name: 'segment.ms', action: 'remove'})],
    })
  })
})

describe('OffsetDelete (KIP-496)', () => {
  it('removes a committed offset of an empty group; a subscribed group and an unknown group are refused', async () => {
    const conn = connect(inject('kafkaBootstrap'))
    const topic = uniqueName('offdel')
    const group = uniqueName('offdel.group')
    await createTopic(topic, ['-p', '2', '-r', '1'])
    const reset = kafkaTool('consumerGroups', ['--reset-offsets', '--group', group, '--topic', topic, '--to-earliest', '--execute'])
    expect(reset.status, reset.stderr).toBe(0)

    const results = await adminExtra(conn).deleteGroupOffsets(group, [{topic, partition: 0}])
    expect(results).toEqual([{topic, partition: 0, error: null}])
    const described = kafkaTool('consumerGroups', ['--describe', '--group', group])
    expect(described.status, described.stderr).toBe(0)
    const partitions = [...described.stdout.matchAll(new RegExp(`${topic.replace(/\./g, '\\.')}\\s+(\\d+)`, 'g'))].map((m) => Number(m[1]))
    expect(partitions).toEqual([1])

    await expect(adminExtra(conn).deleteGroupOffsets(uniqueName('offdel.none'), [{topic, partition: 0}])).rejects.toMatchObject({
      code: 'GROUP_ID_NOT_FOUND',
      message: expect.stringMatching(/^delete offsets of group offdel\.none\.\w+: consumer group does not exist$/),
    })

    // A member consuming the topic: its partitions are refused one by one.
    const kafka = new kafkajs.Kafka({brokers: inject('kafkaBootstrap').split(','), logLevel: kafkajs.logLevel.NOTHING})
    const consumer = kafka.consumer({groupId: group})
    try {
      await consumer.connect()
      await consumer.subscribe({topics: [topic]})
      let joined!: () => void
      const hasJoined = new Promise<void>((resolve) => (joined = resolve))
      consumer.on(consumer.events.GROUP_JOIN, () => joined())
      await consumer.run({eachMessage: async () => {}})
      await hasJoined
      const refused = await adminExtra(conn).deleteGroupOffsets(group, [{topic, partition: 1}])
      expect(refused).toEqual([{topic, partition: 1, error: {code: 'GROUP_SUBSCRIBED_TO_TOPIC', message: 'the group is still subscribed to the topic (a member consumes it)'}}])
    } finally {
      await consumer.disconnect()
    }
  })
})

describe('ElectLeaders (KIP-460) on 3 nodes', () => {
  it('moves leadership back to the preferred replica; a second election is not needed', async () => {
    const bootstrap = inject('kafka3Bootstrap')
    const conn = connect(bootstrap)
    const topic = uniqueName('elect')
    const admin = await conn.admin()
    const {brokers} = await admin.describeCluster()
    const [a, b, c] = brokers.map((x) => x.nodeId).sort((x, y) => x - y)
    await admin.createTopics({topics: [{topic, replicaAssignment: [{partition: 0, replicas: [a, b, c]}]}], waitForLeaders: true})
    const leaderOf = async () => (await admin.fetchTopicMetadata({topics: [topic]})).topics[0].partitions[0].leader
    await expect.poll(leaderOf, {timeout: 30_000}).toBe(a)
    // Reordering the replicas makes b the preferred replica; a stays leader until an election.
    await admin.alterPartitionReassignments({topics: [{topic, partitionAssignment: [{partition: 0, replicas: [b, a, c]}]}]})
    await expect.poll(async () => (await admin.listPartitionReassignments({})).topics.length, {timeout: 30_000}).toBe(0)
    const described = kafkaTool('topics', ['--describe', '--topic', topic], {bootstrap})
    expect(described.stdout).toMatch(new RegExp(`Leader: ${a}\\s+Replicas: ${b},${a},${c}`))

    const elected = await adminExtra(conn).electLeaders({partitions: [{topic, partition: 0}]})
    expect(elected).toEqual([{topic, partition: 0, error: null}])
    await expect.poll(() => kafkaTool('topics', ['--describe', '--topic', topic], {bootstrap}).stdout, {timeout: 30_000}).toMatch(new RegExp(`Leader: ${b}\\s`))

    const again = await adminExtra(conn).electLeaders({partitions: [{topic, partition: 0}]})
    expect(again).toEqual([{topic, partition: 0, error: {code: 'ELECTION_NOT_NEEDED', message: 'the preferred leader is already the leader'}}])
    const missing = await adminExtra(conn).electLeaders({partitions: [{topic: `${topic}.missing`, partition: 0}]})
    expect(missing[0].error?.code).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })
})

describe('DescribeClientQuotas / AlterClientQuotas (KIP-546)', () => {
  it('sets, describes and removes user and client-id quotas, as kafka-configs sees them', async () => {
    const conn = connect(inject('kafkaBootstrap'))
    const extra = adminExtra(conn)
    const user = uniqueName('quota-user')
    const client = uniqueName('quota-client')
    const set = await extra.alterClientQuotas([
      {entity: [{type: 'user', name: user}], set: {producer_byte_rate: 1024, consumer_byte_rate: 2048}},
      {entity: [{type: 'user', name: user}, {type: 'client-id', name: client}], set: {request_percentage: 12.5}},
    ])
    expect(set.map((r) => r.error)).toEqual([null, null])

    const tool = kafkaTool('configs', ['--describe', '--entity-type', 'users', '--entity-name', user])
    expect(tool.status, tool.stderr).toBe(0)
    expect(tool.stdout).toContain(`Quota configs for user-principal '${user}' are consumer_byte_rate=2048.0, producer_byte_rate=1024.0`)

    expect(await extra.describeClientQuotas([{type: 'user', match: 'exact', name: user}], {strict: true})).toEqual([
      {entity: [{type: 'user', name: user}], values: {producer_byte_rate: 1024, consumer_byte_rate: 2048}},
    ])
    const both = await extra.describeClientQuotas([{type: 'user', match: 'exact', name: user}])
    expect(both).toHaveLength(2)
    expect(both.find((e) => e.entity.length === 2)).toEqual({
      entity: expect.arrayContaining([{type: 'user', name: user}, {type: 'client-id', name: client}]),
      values: {request_percentage: 12.5},
    })

    const removed = await extra.alterClientQuotas([
      {entity: [{type: 'user', name: user}], remove: ['producer_byte_rate', 'consumer_byte_rate']},
      {entity: [{type: 'user', name: user}, {type: 'client-id', name: client}], remove: ['request_percentage']},
    ])
    expect(removed.map((r) => r.error)).toEqual([null, null])
    await expect.poll(() => extra.describeClientQuotas([{type: 'user', match: 'exact', name: user}]), {timeout: 10_000}).toEqual([])
    expect(kafkaTool('configs', ['--describe', '--entity-type', 'users', '--entity-name', user]).stdout).not.toContain('producer_byte_rate')

    const [unknown, fractional] = await extra.alterClientQuotas([
      {entity: [{type: 'user', name: user}], set: {not_a_quota: 1}},
      {entity: [{type: 'client-id', name: client}], set: {producer_byte_rate: 0.5}},
    ])
    expect(unknown.error?.code).toBe('INVALID_REQUEST')
    // The broker's own words name the key.
    expect(fractional.error).toEqual({code: 'INVALID_REQUEST', message: 'producer_byte_rate cannot be a fractional value'})
  })
})

describe('DescribeUserScramCredentials / AlterUserScramCredentials (KIP-554)', () => {
  it('creates a user whose password logs in over SASL_SSL, describes it, deletes it', async () => {
    const secure = inject('kafkaSecure')
    process.env.KAFKIT_PROTOCOL_TEST_PASSWORD = secure.password
    const settings = {tls: {ca: secure.caFile}, sasl: {mechanism: 'scram-sha-512' as const, username: secure.username, passwordEnv: 'KAFKIT_PROTOCOL_TEST_PASSWORD'}}
    const conn = connect(secure.bootstrap, settings)
    const extra = adminExtra(conn)
    const user = uniqueName('scram-user')
    const password = 'pässwörd with spaces'

    expect(await extra.alterScramCredentials({upsert: [{user, mechanism: 'SCRAM-SHA-512', password, iterations: 8192}]})).toEqual([{user, error: null}])
    expect(await extra.alterScramCredentials({upsert: [{user, mechanism: 'SCRAM-SHA-256', password}]})).toEqual([{user, error: null}])
    // Kafka takes one change per user and request.
    const twice = await extra.alterScramCredentials({upsert: [{user, mechanism: 'SCRAM-SHA-512', password}], delete: [{user, mechanism: 'SCRAM-SHA-256'}]})
    expect(twice).toEqual([{user, error: {code: 'DUPLICATE_RESOURCE', message: 'a user can appear only once in one request'}}])

    const described = await extra.describeScramUsers([user])
    expect(described).toHaveLength(1)
    expect(described[0].error).toBeNull()
    expect([...described[0].credentials].sort((x, y) => x.mechanism.localeCompare(y.mechanism))).toEqual([
      {mechanism: 'SCRAM-SHA-256', iterations: 4096},
      {mechanism: 'SCRAM-SHA-512', iterations: 8192},
    ])
    expect((await extra.describeScramUsers(null)).map((u) => u.user)).toEqual(expect.arrayContaining([user, secure.username]))

    const login = async (pass: string) => {
      const kafka = new kafkajs.Kafka({
        brokers: secure.bootstrap.split(','),
        ssl: {ca: [readFileSync(secure.caFile, 'utf8')]},
        sasl: {mechanism: 'scram-sha-512', username: user, password: pass},
        logLevel: kafkajs.logLevel.NOTHING,
        retry: {retries: 0},
      })
      const admin = kafka.admin()
      try {
        await admin.connect()
        return (await admin.describeCluster()).clusterId
      } finally {
        await admin.disconnect()
      }
    }
    // The broker checks the client's proof against the salted password computed by kafkit.
    await expect.poll(() => login(password).catch((error: Error) => error.name), {timeout: 15_000}).toMatch(/^[\w-]{22}$/)
    await expect(login('wrong')).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/)

    expect(await extra.alterScramCredentials({delete: [{user, mechanism: 'SCRAM-SHA-512'}]})).toEqual([{user, error: null}])
    expect(await extra.alterScramCredentials({delete: [{user, mechanism: 'SCRAM-SHA-256'}]})).toEqual([{user, error: null}])
    const gone = await extra.describeScramUsers([user])
    expect(gone).toEqual([{user, credentials: [], error: {code: 'RESOURCE_NOT_FOUND', message: 'no such user (no SCRAM credential)'}}])
    await expect.poll(() => login(password).then(() => 'logged in', (error: Error) => error.name), {timeout: 15_000}).toBe('KafkaJSSASLAuthenticationError')

    const [tooFew] = await extra.alterScramCredentials({upsert: [{user, mechanism: 'SCRAM-SHA-512', password, iterations: 100}]})
    expect(tooFew.error?.code).toBe('UNACCEPTABLE_CREDENTIAL')
  })
})
