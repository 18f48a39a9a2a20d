import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import type {ConfigSource, LiveBroker, LiveClusterState, LiveConfigEntry, LiveTopic} from '../../../src/core/cluster-state.js'
import {hasChanges, planTopicChanges, summarisePlan, type TopicPlan} from '../../../src/core/topic-plan.js'
import {TOPIC_CONFIGS} from '../../../src/core/topic-configs.js'
import {DEFAULT_POLICY, parseTopicsSpec, type DesiredTopic, type NormalisedSpec} from '../../../src/core/topics-spec.js'

// ---------------------------------------------------------------------------------------------
// Builders: a desired spec and a live cluster, as plain data.

function topic(name: string, fields: Partial<Omit<DesiredTopic, 'name'>> = {}): DesiredTopic {
  return {name, partitions: 1, replicationFactor: 1, config: {}, location: {line: 10, col: 5}, ...fields}
}

function spec(topics: DesiredTopic[], fields: Partial<NormalisedSpec> = {}): NormalisedSpec {
  return {file: 'topics.yaml', managedPrefixes: [], policy: DEFAULT_POLICY, topics, ...fields}
}

function brokers(count: number, racks: string[] = []): LiveBroker[] {
  return Array.from({length: count}, (_, i) => ({nodeId: i + 1, host: `broker-${i + 1}`, port: 9092, ...(racks[i] ? {rack: racks[i]} : {})}))
}

/**
 * A live topic as describeConfigs reports it: every config present, Kafka's default unless
 * `configs` says otherwise; a string is a topic override, a tuple names the source.
 */
function live(
  name: string,
  replicas: number[][],
  configs: Record<string, string | [string, ConfigSource]> = {},
  fields: {internal?: boolean; leaders?: number[]} = {},
): LiveTopic {
  const entries: Record<string, LiveConfigEntry> = {}
  for (const def of TOPIC_CONFIGS.values()) entries[def.name] = {value: def.kafkaDefault, source: 'default'}
  for (const [key, value] of Object.entries(configs)) {
    entries[key] = typeof value === 'string' ? {value, source: 'topic'} : {value: value[0], source: value[1]}
  }
  return {
    name,
    internal: fields.internal ?? false,
    partitions: replicas.map((r, partition) => ({partition, leader: fields.leaders?.[partition] ?? r[0], replicas: r, isr: r})),
    configs: entries,
  }
}

function cluster(topics: LiveTopic[], brokerList: LiveBroker[] = brokers(3)): LiveClusterState {
  return {clusterId: 'cluster-a', brokers: brokerList, topics}
}

const plan = (desired: NormalisedSpec, state: LiveClusterState, prune = false) => planTopicChanges(desired, state, {prune})
const errors = (p: TopicPlan) => p.errors.map((e) => e.message)

// ---------------------------------------------------------------------------------------------

describe('plan: create', () => {
  it('creates declared topics missing from the cluster, with every declared config, sorted by name', () => {
    const p = plan(
      spec([
        topic('users.profile.updated', {partitions: 3, replicationFactor: 3, config: {'cleanup.policy': 'compact'}}),
        topic('orders.payment.completed', {partitions: 12, replicationFactor: 3, config: {'retention.ms': '604800000'}}),
      ]),
      cluster([]),
    )
    expect(p).toEqual({
      clusterId: 'cluster-a',
      changes: [
        {kind: 'create', topic: 'orders.payment.completed', partitions: 12, replicationFactor: 3, configs: {'retention.ms': '604800000'}},
        {kind: 'create', topic: 'users.profile.updated', partitions: 3, replicationFactor: 3, configs: {'cleanup.policy': 'compact'}},
      ],
      errors: [],
      unmanaged: [],
      inSync: 0,
    })
    expect(hasChanges(p)).toBe(true)
  })

  it('refuses a replication factor above the broker count, saying how many brokers there are', () => {
    const p = plan(spec([topic('a.b.c', {replicationFactor: 3})]), cluster([], brokers(1)))
    expect(p.changes).toEqual([])
    expect(p.errors).toEqual([{
      file: 'topics.yaml', line: 10, col: 5, severity: 'error', topic: 'a.b.c',
      message: 'topic "a.b.c": replicationFactor 3 is more than the 1 broker in the cluster (each replica needs its own broker)',
    }])
    expect(errors(plan(spec([topic('a.b.c', {replicationFactor: 4})]), cluster([])))).toEqual([
      'topic "a.b.c": replicationFactor 4 is more than the 3 brokers in the cluster (each replica needs its own broker)',
    ])
  })
})

describe('plan: nothing to do', () => {
  it('counts a topic that matches as in sync', () => {
    const p = plan(
      spec([topic('a.b.c', {partitions: 2, replicationFactor: 2, config: {'retention.ms': '86400000'}})]),
      cluster([live('a.b.c', [[1, 2], [2, 3]], {'retention.ms': '86400000'})]),
    )
    expect(p.changes).toEqual([])
    expect(p.inSync).toBe(1)
    expect(hasChanges(p)).toBe(false)
  })
})

describe('plan: configs compare on effective values', () => {
  type Case = [string, Record<string, string>, Record<string, string | [string, ConfigSource]>, unknown[]]
  it.each<Case>([
    ['declared value equal to Kafka\'s default is not a change', {'retention.ms': '604800000'}, {}, []],
    ['declared value equal to a dynamic broker setting is not a change', {'retention.ms': '86400000'}, {'retention.ms': ['86400000', 'dynamic-broker']}, []],
    ['declared value equal to a cluster-wide default is not a change', {'min.insync.replicas': '2'}, {'min.insync.replicas': ['2', 'dynamic-default-broker']}, []],
    ['declared value equal to server.properties is not a change', {'compression.type': 'lz4'}, {'compression.type': ['lz4', 'static-broker']}, []],
    ['list order does not matter', {'cleanup.policy': 'compact,delete'}, {'cleanup.policy': 'delete,compact'}, []],
    ['doubles compare as Kafka prints them', {'min.cleanable.dirty.ratio': '1.0'}, {'min.cleanable.dirty.ratio': '1'}, []],
    ['set: no override yet, the inherited value differs', {'retention.ms': '86400000'}, {},
      [{name: 'retention.ms', action: 'set', from: '604800000', fromSource: 'default', to: '86400000'}]],
    ['set over a broker value', {'min.insync.replicas': '2'}, {'min.insync.replicas': ['1', 'static-broker']},
      [{name: 'min.insync.replicas', action: 'set', from: '1', fromSource: 'static-broker', to: '2'}]],
    ['change: the override differs', {'retention.ms': '86400000'}, {'retention.ms': '3600000'},
      [{name: 'retention.ms', action: 'change', from: '3600000', fromSource: 'topic', to: '86400000'}]],
    ['remove: a live override the file does not declare', {}, {'segment.ms': '3600000'},
      [{name: 'segment.ms', action: 'remove', from: '3600000', fromSource: 'topic', to: null}]],
    ['remove: a config Kafka 4.0 removed', {}, {'message.downconversion.enable': 'true'},
      [{name: 'message.downconversion.enable', action: 'remove', from: 'true', fromSource: 'topic', to: null}]],
    ['keep: an override of a config kafkit does not know', {}, {'confluent.placement.constraints': '{}'}, []],
  ])('%s', (_, declared, liveConfigs, entries) => {
    const p = plan(spec([topic('a.b.c', {config: declared})]), cluster([live('a.b.c', [[1]], liveConfigs)]))
    expect(p.changes.flatMap((c) => (c.kind === 'config' ? c.entries : []))).toEqual(entries)
    expect(p.inSync).toBe(entries.length === 0 ? 1 : 0)
  })

  it('reports a value the broker did not return as a set from null', () => {
    const state = cluster([live('a.b.c', [[1]])])
    delete state.topics[0].configs['retention.ms']
    const p = plan(spec([topic('a.b.c', {config: {'retention.ms': '1000'}})]), state)
    expect(p.changes).toEqual([{kind: 'config', topic: 'a.b.c', entries: [{name: 'retention.ms', action: 'set', from: null, to: '1000'}]}])
  })

  it('changes and removes only what differs; an unknown (vendor) override is kept, never in the change', () => {
    const p = plan(
      spec([topic('a.b.c', {config: {'retention.ms': '86400000', 'cleanup.policy': 'delete', 'compression.type': 'zstd'}})]),
      cluster([live('a.b.c', [[1]], {'retention.ms': '86400000', 'compression.type': 'lz4', 'segment.ms': '1000', 'x.vendor.setting': 'keep-me'})]),
    )
    expect(p.changes).toEqual([{
      kind: 'config',
      topic: 'a.b.c',
      entries: [
        {name: 'compression.type', action: 'change', from: 'lz4', fromSource: 'topic', to: 'zstd'},
        {name: 'segment.ms', action: 'remove', from: '1000', fromSource: 'topic', to: null},
      ],
    }])
  })
})

describe('plan: partitions', () => {
  it('adds partitions', () => {
    const p = plan(spec([topic('a.b.c', {partitions: 4})]), cluster([live('a.b.c', [[1], [2]])]))
    expect(p.changes).toEqual([{kind: 'addPartitions', topic: 'a.b.c', from: 2, to: 4}])
  })

  it('refuses to remove partitions and says why, but still plans the rest of the topic', () => {
    const p = plan(
      spec([topic('a.b.c', {partitions: 1, config: {'retention.ms': '1000'}})]),
      cluster([live('a.b.c', [[1], [2], [3]])]),
    )
    expect(errors(p)).toEqual([
      'topic "a.b.c": partitions cannot decrease from 3 to 1: Kafka cannot remove partitions. Keep 3, or create a new topic with 1 and move producers and consumers to it (deleting and recreating this topic loses its data)',
    ])
    expect(p.changes.map((c) => c.kind)).toEqual(['config'])
    expect(p.inSync).toBe(0)
  })

  it('does not count a topic with an error as in sync', () => {
    const p = plan(spec([topic('a.b.c', {partitions: 1})]), cluster([live('a.b.c', [[1], [2]])]))
    expect(p.changes).toEqual([])
    expect(p.inSync).toBe(0)
    expect(p.errors).toHaveLength(1)
  })
})

describe('plan: replication factor', () => {
  it('grows each partition onto the least-loaded brokers, keeping existing replicas first', () => {
    const p = plan(spec([topic('a.b.c', {partitions: 3, replicationFactor: 3})]), cluster([live('a.b.c', [[1], [2], [3]])]))
    expect(p.changes).toEqual([{
      kind: 'replication', topic: 'a.b.c', from: 1, to: 3,
      partitions: [
        {partition: 0, from: [1], to: [1, 2, 3]},
        {partition: 1, from: [2], to: [2, 1, 3]},
        {partition: 2, from: [3], to: [3, 1, 2]},
      ],
    }])
  })

  it('counts the load of every topic, and of replicas placed earlier in the plan', () => {
    // broker 2 already holds three replicas of another topic: new replicas go to 3, then 1 or 3 by load
    const p = plan(
      spec([topic('a.b.c', {partitions: 2, replicationFactor: 2}), topic('busy.topic.x', {partitions: 3})]),
      cluster([live('a.b.c', [[1], [1]]), live('busy.topic.x', [[2], [2], [2]])]),
    )
    expect(p.changes).toEqual([{
      kind: 'replication', topic: 'a.b.c', from: 1, to: 2,
      partitions: [{partition: 0, from: [1], to: [1, 3]}, {partition: 1, from: [1], to: [1, 3]}],
    }])
  })

  it('prefers a rack the partition does not use yet', () => {
    const p = plan(
      spec([topic('a.b.c', {replicationFactor: 2})]),
      cluster([live('a.b.c', [[1]]), live('other.topic.x', [[3], [3]])], brokers(4, ['a', 'a', 'b', 'b'])),
    )
    // broker 2 is least loaded but shares rack a with broker 1; broker 4 is the least loaded in rack b
    expect(p.changes).toEqual([{kind: 'replication', topic: 'a.b.c', from: 1, to: 2, partitions: [{partition: 0, from: [1], to: [1, 4]}]}])
  })

  it.each<[string, number[], number, number, number[]]>([
    ['drops from the end', [1, 2, 3], 1, 2, [1, 2]],
    ['never drops the current leader', [1, 2, 3], 3, 2, [1, 3]],
    ['never drops the first replica (preferred leader)', [1, 2, 3], 2, 2, [1, 2]],
    ['keeps the current leader when only one replica may stay', [1, 2, 3], 2, 1, [2]],
    ['keeps the first replica when the partition has no leader', [1, 2, 3], -1, 1, [1]],
    ['keeps the first replica when it leads', [3, 1, 2], 3, 1, [3]],
  ])('shrinks: %s', (_, replicas, leader, rf, expected) => {
    const p = plan(spec([topic('a.b.c', {replicationFactor: rf})]), cluster([live('a.b.c', [replicas], {}, {leaders: [leader]})]))
    expect(p.changes).toEqual([{kind: 'replication', topic: 'a.b.c', from: 3, to: rf, partitions: [{partition: 0, from: replicas, to: expected}]}])
  })

  it('only lists partitions whose replica count differs', () => {
    const p = plan(spec([topic('a.b.c', {partitions: 3, replicationFactor: 2})]), cluster([live('a.b.c', [[1, 2], [2], [3, 1]])]))
    expect(p.changes).toEqual([{kind: 'replication', topic: 'a.b.c', from: 2, to: 2, partitions: [{partition: 1, from: [2], to: [2, 3]}]}])
  })

  it('is deterministic whatever the order of topics and brokers in the inputs', () => {
    const desired = spec([topic('x.y.z', {partitions: 2, replicationFactor: 3}), topic('a.b.c', {partitions: 2, replicationFactor: 2})])
    const state = cluster([live('x.y.z', [[1], [2]]), live('a.b.c', [[3], [3]])], brokers(4))
    const reversed = {...state, topics: [...state.topics].reverse(), brokers: [...state.brokers].reverse()}
    const reorderedSpec = {...desired, topics: [...desired.topics].reverse()}
    expect(plan(reorderedSpec, reversed)).toEqual(plan(desired, state))
  })

  it('places new partitions itself when the replication factor changes in the same plan', () => {
    const p = plan(spec([topic('a.b.c', {partitions: 3, replicationFactor: 2})]), cluster([live('a.b.c', [[1]])]))
    expect(p.changes).toEqual([
      // broker 1 holds partition 0 and broker 2 its new replica: the new partitions balance the rest
      {kind: 'addPartitions', topic: 'a.b.c', from: 1, to: 3, assignments: [[3, 1], [2, 3]]},
      {kind: 'replication', topic: 'a.b.c', from: 1, to: 2, partitions: [{partition: 0, from: [1], to: [1, 2]}]},
    ])
  })

  it('refuses more replicas than brokers and leaves the replicas alone', () => {
    const p = plan(spec([topic('a.b.c', {replicationFactor: 3})]), cluster([live('a.b.c', [[1]])], brokers(2)))
    expect(p.changes).toEqual([])
    expect(errors(p)).toEqual(['topic "a.b.c": replicationFactor 3 is more than the 2 brokers in the cluster (each replica needs its own broker)'])
  })

  it('a broker down blocks nothing that already has its replication factor (a rolling restart)', () => {
    // broker 3 is down: metadata lists brokers 1 and 2, replica lists still name 3
    const state = cluster([live('a.b.c', [[1, 2, 3], [2, 3, 1]], {'retention.ms': ['1000', 'topic']})], brokers(2))
    const p = plan(spec([topic('a.b.c', {partitions: 3, replicationFactor: 3, config: {'retention.ms': '2000'}})]), state)
    expect(p.errors).toEqual([])
    expect(p.changes.map((c) => c.kind)).toEqual(['addPartitions', 'config'])
    // a new topic: Kafka places it on the three registered brokers (one of them fenced)
    expect(plan(spec([topic('x.y.z', {replicationFactor: 3})]), state).changes.map((c) => c.kind)).toEqual(['create'])
    // four replicas cannot exist on three brokers, and the message says which one is down
    expect(errors(plan(spec([topic('x.y.z', {replicationFactor: 4})]), state))).toEqual([
      'topic "x.y.z": replicationFactor 4 is more than the 3 brokers it can use now (each replica needs its own broker): broker 3 is down; apply again when it is back',
    ])
    // kafkit places new replicas of an RF change itself, only on brokers that are up
    const rf1 = cluster([live('a.b.c', [[1]]), live('d.e.f', [[3]])], brokers(2))
    expect(errors(plan(spec([topic('a.b.c', {replicationFactor: 3}), topic('d.e.f', {replicationFactor: 1})]), rf1))).toEqual([
      'topic "a.b.c": replicationFactor 3 is more than the 2 brokers it can use now (each replica needs its own broker): broker 3 is down; apply again when it is back',
    ])
  })

  it('refuses a replication factor below a min.insync.replicas inherited from the brokers', () => {
    const p = plan(spec([topic('a.b.c', {replicationFactor: 1})]), cluster([live('a.b.c', [[1, 2, 3]], {'min.insync.replicas': ['2', 'static-broker']})]))
    expect(errors(p)).toEqual([
      'topic "a.b.c": min.insync.replicas 2 (from the broker, static-broker) is greater than replicationFactor 1: producers with acks=all could never write; declare min.insync.replicas for this topic',
    ])
    const declared = plan(spec([topic('a.b.c', {replicationFactor: 1, config: {'min.insync.replicas': '1'}})]), cluster([live('a.b.c', [[1, 2, 3]], {'min.insync.replicas': ['2', 'static-broker']})]))
    expect(declared.errors).toEqual([])
    // already in that state and the replication factor does not change: not this plan's doing
    const unchanged = plan(spec([topic('a.b.c', {replicationFactor: 1})]), cluster([live('a.b.c', [[1]], {'min.insync.replicas': ['2', 'static-broker']})]))
    expect(unchanged.errors).toEqual([])
  })
})

describe('plan: undeclared live topics', () => {
  const state = cluster([
    live('orders.old.thing', [[1]]),
    live('orders.payment.completed', [[1]]),
    live('legacy.topic.x', [[1]]),
    live('__consumer_offsets', [[1]], {}, {internal: true}),
    live('_schemas', [[1]]),
    live('orders.marked.internal', [[1]], {}, {internal: true}),
  ])
  const desired = spec([topic('orders.payment.completed')], {managedPrefixes: ['orders.', 'users.']})

  it('lists them as unmanaged and leaves them alone without --prune (internal topics not listed)', () => {
    const p = plan(desired, state)
    expect(p.changes).toEqual([])
    expect(p.unmanaged).toEqual(['legacy.topic.x', 'orders.old.thing'])
    expect(p.inSync).toBe(1)
  })

  it('with --prune deletes only those under managed.prefixes, never internal ones', () => {
    const p = plan(desired, state, true)
    expect(p.changes).toEqual([{kind: 'delete', topic: 'orders.old.thing', partitions: 1, replicationFactor: 1}])
    expect(p.unmanaged).toEqual(['legacy.topic.x'])
  })

  it('with --prune and no managed prefixes deletes nothing', () => {
    const p = plan({...desired, managedPrefixes: []}, state, true)
    expect(p.changes).toEqual([])
    expect(p.unmanaged).toEqual(['legacy.topic.x', 'orders.old.thing'])
  })

  it('refuses to manage an internal topic declared in the file', () => {
    const p = plan(spec([topic('__consumer_offsets', {partitions: 50})]), state)
    expect(p.changes).toEqual([])
    expect(errors(p)).toEqual(['topic "__consumer_offsets": is internal to Kafka (or starts with "_"); kafkit never changes it, remove it from the file'])
  })
})

describe('plan: cluster.id guard', () => {
  const state = cluster([live('orders.old.thing', [[1]])])
  it('refuses another cluster, and plans nothing against it (not even a prune)', () => {
    const p = plan(spec([topic('a.b.c')], {cluster: {id: 'cluster-b', location: {line: 2, col: 14}}, managedPrefixes: ['orders.']}), state, true)
    expect(p.changes).toEqual([])
    expect(p.errors).toEqual([{
      file: 'topics.yaml', line: 2, col: 14, severity: 'error',
      message: 'cluster.id is "cluster-b" but the cluster reached has id "cluster-a": wrong cluster? check --bootstrap-server and --env',
    }])
  })

  it('plans normally when the id matches', () => {
    const p = plan(spec([topic('a.b.c')], {cluster: {id: 'cluster-a', location: {line: 2, col: 14}}}), state)
    expect(p.errors).toEqual([])
    expect(p.changes.map((c) => c.kind)).toEqual(['create'])
  })
})

describe('plan: shape', () => {
  const p = plan(
    spec([
      topic('b.topic.x', {partitions: 2, replicationFactor: 2, config: {'retention.ms': '1000'}}),
      topic('a.topic.x'),
      topic('c.topic.x'),
    ], {managedPrefixes: ['z.'], env: 'dev'}),
    cluster([live('b.topic.x', [[1]]), live('c.topic.x', [[1]]), live('z.gone.x', [[2]])]),
    true,
  )

  it('orders changes by topic, then create, addPartitions, replication, config, delete', () => {
    expect(p.changes.map((c) => `${c.topic} ${c.kind}`)).toEqual([
      'a.topic.x create', 'b.topic.x addPartitions', 'b.topic.x replication', 'b.topic.x config', 'z.gone.x delete',
    ])
    expect(p.env).toBe('dev')
  })

  it('summarises counts by kind', () => {
    expect(summarisePlan(p)).toEqual({create: 1, addPartitions: 1, replication: 1, config: 1, delete: 1, topicsChanged: 3, unmanaged: 0, inSync: 1, errors: 0})
  })

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(p))).toEqual(p)
  })
})

describe('plan: the repository example', () => {
  const text = readFileSync(new URL('../../../topics.yaml', import.meta.url), 'utf8')
  const parsed = (env?: string) => parseTopicsSpec(text, 'topics.yaml', {env}).spec!

  it('creates every topic on an empty single-broker dev cluster', () => {
    const p = plan(parsed('dev'), cluster([], brokers(1)))
    expect(p.errors).toEqual([])
    expect(p.changes.map((c) => c.kind === 'create' && `${c.topic} ${c.partitions}x${c.replicationFactor}`)).toEqual([
      'inventory.stock.depleted 3x1', 'orders.order.created 6x1', 'orders.payment.completed 3x1', 'orders.payment.dlq 3x1', 'users.profile.updated 6x1',
    ])
  })

  it('refuses the production settings on a single broker', () => {
    const p = plan(parsed(), cluster([], brokers(1)))
    expect(p.changes).toEqual([])
    expect(p.errors).toHaveLength(5)
  })
})
