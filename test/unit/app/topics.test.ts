import {describe, expect, it} from 'vitest'

import {createTopic, deleteTopics, describeTopicsNamed, listTopics, refuseInternal, topicsToDelete} from '../../../src/app/topics.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

function cluster(): FakeKafka {
  const fake = new FakeKafka({brokers: 3})
  fake.addTopic('orders.created', {partitions: 6, replicationFactor: 3, configs: {'retention.ms': '86400000'}})
  fake.addTopic('orders.paid', {partitions: 3, replicationFactor: 2})
  fake.addTopic('payments', {partitions: 1, replicationFactor: 1})
  fake.addTopic('__consumer_offsets', {partitions: 50, replicationFactor: 3})
  return fake
}

describe('listTopics', () => {
  it('every topic but the internal ones, with partitions and replication factor, from one Metadata read without configs', async () => {
    const fake = cluster()
    expect(await listTopics(fake.client(), {})).toEqual([
      {name: 'orders.created', partitions: 6, replicationFactor: 3, internal: false},
      {name: 'orders.paid', partitions: 3, replicationFactor: 2, internal: false},
      {name: 'payments', partitions: 1, replicationFactor: 1, internal: false},
    ])
    expect(fake.callsOf('describeTopics')).toEqual([[{configs: false}]])
  })

  it('internal topics only when asked; --prefix keeps the names under it', async () => {
    const fake = cluster()
    expect((await listTopics(fake.client(), {internal: true})).map((t) => [t.name, t.internal])).toContainEqual(['__consumer_offsets', true])
    expect((await listTopics(fake.client(), {prefix: 'orders.'})).map((t) => t.name)).toEqual(['orders.created', 'orders.paid'])
  })

  it('the replication factor is the one most partitions have (mid-reassignment topics differ per partition)', async () => {
    const fake = new FakeKafka({brokers: 3})
    fake.addTopic('moving', {replicas: [[1, 2, 3], [1, 2], [2, 3]]})
    expect((await listTopics(fake.client(), {}))[0].replicationFactor).toBe(2)
  })
})

describe('describeTopicsNamed', () => {
  it('named topics and a prefix in one describeTopics call, configs that are not Kafka defaults with their source', async () => {
    const fake = cluster()
    fake.brokerConfigs['min.insync.replicas'] = {value: '2', source: 'static-broker'}
    const described = await describeTopicsNamed(fake.client(), {names: ['payments'], prefix: 'orders.'})
    expect(described.map((t) => t.name)).toEqual(['orders.created', 'orders.paid', 'payments'])
    expect(fake.callsOf('describeTopics')).toEqual([[{names: ['payments'], prefix: 'orders.', configs: 'all'}]])
    expect(described[0].configs).toEqual([
      {name: 'min.insync.replicas', value: '2', source: 'static-broker'},
      {name: 'retention.ms', value: '86400000', source: 'topic'},
    ])
    expect(described[0].partitions).toHaveLength(6)
    expect(described[0].replicationFactor).toBe(3)
  })

  it('allConfigs lists the defaults too, sorted by name', async () => {
    const described = await describeTopicsNamed(cluster().client(), {names: ['payments'], allConfigs: true})
    const names = described[0].configs.map((c) => c.name)
    expect(names).toContain('cleanup.policy')
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)))
    expect(described[0].configs.find((c) => c.name === 'cleanup.policy')).toEqual({name: 'cleanup.policy', value: 'delete', source: 'default'})
  })

  it('an unknown name fails with the adapter\'s TOPIC_NOT_FOUND line; a prefix matching nothing says so', async () => {
    const fake = cluster()
    const unknown = await rejection(describeTopicsNamed(fake.client(), {names: ['nope', 'payments', 'gone']}))
    expect(unknown.code).toBe('TOPIC_NOT_FOUND')
    expect(unknown.message).toBe('topics "nope", "gone" not found on fake:9092')
    const empty = await rejection(describeTopicsNamed(fake.client(), {names: [], prefix: 'billing.'}))
    expect(empty.message).toBe('no topic starts with "billing." on fake:9092')
    expect(empty.hint).toMatch(/topics list/)
  })
})

describe('createTopic', () => {
  it('passes the topic through to the cluster', async () => {
    const fake = cluster()
    await createTopic(fake.client(), {topic: 'audit', partitions: 4, replicationFactor: 2, configs: {'cleanup.policy': 'compact'}})
    expect(fake.callsOf('createTopic')).toEqual([[{topic: 'audit', partitions: 4, replicationFactor: 2, configs: {'cleanup.policy': 'compact'}}]])
    expect(fake.topics.get('audit')?.partitions).toHaveLength(4)
    expect(fake.topics.get('audit')?.overrides).toEqual({'cleanup.policy': 'compact'})
  })

  it('an existing topic is TOPIC_ALREADY_EXISTS, unchanged', async () => {
    const fake = cluster()
    const error = await rejection(createTopic(fake.client(), {topic: 'payments', partitions: 12, replicationFactor: 1, configs: {}}))
    expect(error.code).toBe('TOPIC_ALREADY_EXISTS')
    expect(error.message).toBe('topic "payments" already exists')
    expect(fake.topics.get('payments')?.partitions).toHaveLength(1)
  })
})

describe('topicsToDelete / deleteTopics', () => {
  it('counts the partitions that would go, in one describeTopics for all the names', async () => {
    const fake = cluster()
    expect(await topicsToDelete(fake.client(), ['orders.created', 'orders.paid', 'payments'])).toEqual({partitions: 10})
    expect(fake.callsOf('describeTopics')).toEqual([[{names: ['orders.created', 'orders.paid', 'payments'], configs: false}]])
  })

  it('an unknown topic fails the check before anything is deleted', async () => {
    const fake = cluster()
    const error = await rejection(topicsToDelete(fake.client(), ['payments', 'nope']))
    expect(error.message).toBe('topic "nope" not found on fake:9092')
    expect(fake.topics.has('payments')).toBe(true)
  })

  it('internal and _-prefixed topics are refused before any request, naming each', async () => {
    const fake = cluster()
    const check = await rejection(topicsToDelete(fake.client(), ['payments', '__consumer_offsets', '_schemas']))
    expect(check.message).toBe('refusing to delete internal topic "__consumer_offsets", "_schemas"')
    // deleteTopics throws before returning its promise: either way the command sees one error.
    const del = await rejection(Promise.resolve().then(() => deleteTopics(fake.client(), ['__consumer_offsets'])))
    expect(del.message).toBe('refusing to delete internal topic "__consumer_offsets"')
    expect(fake.calls).toEqual([])
    expect(fake.topics.has('__consumer_offsets')).toBe(true)
    expect(() => refuseInternal(['orders', 'payments'])).not.toThrow()
  })

  it('deletes many topics in one request', async () => {
    const fake = cluster()
    await deleteTopics(fake.client(), ['orders.created', 'orders.paid'])
    expect(fake.callsOf('deleteTopics')).toEqual([[['orders.created', 'orders.paid']]])
    expect([...fake.topics.keys()].sort()).toEqual(['__consumer_offsets', 'payments'])
  })
})
