import {describe, expect, it} from 'vitest'
import {formatProblem} from '../../../src/core/problem.js'
import {TOPIC_CONFIGS} from '../../../src/core/topic-configs.js'
import type {ConfigSource, LiveClusterState, LiveConfigEntry, LiveTopic} from '../../../src/core/cluster-state.js'
import {planTopicChanges} from '../../../src/core/topic-plan.js'
import {exportTopicsSpec} from '../../../src/core/topics-export.js'
import {parseTopicsSpec} from '../../../src/core/topics-spec.js'

/** Every config present, as describeConfigs returns them; strings are topic overrides. */
function live(name: string, replicas: number[][], configs: Record<string, string | [string, ConfigSource]> = {}, internal = false): LiveTopic {
  const entries: Record<string, LiveConfigEntry> = {}
  for (const def of TOPIC_CONFIGS.values()) entries[def.name] = {value: def.kafkaDefault, source: 'default'}
  for (const [key, value] of Object.entries(configs)) {
    entries[key] = typeof value === 'string' ? {value, source: 'topic'} : {value: value[0], source: value[1]}
  }
  return {name, internal, partitions: replicas.map((r, partition) => ({partition, leader: r[0], replicas: r, isr: r})), configs: entries}
}

const brokers = [1, 2, 3].map((nodeId) => ({nodeId, host: `broker-${nodeId}`, port: 9092}))

/** A cluster with every kind of override, broker-level values, and topics kafkit never touches. */
const state: LiveClusterState = {
  clusterId: 'q1Sh-9_ISia_zwGINzRvyQ',
  brokers,
  topics: [
    live('orders.payment.completed', [[1, 2, 3], [2, 3, 1], [3, 1, 2]], {
      'retention.ms': '604800000', 'retention.bytes': '1073741824', 'compression.type': 'snappy', 'cleanup.policy': 'delete',
      'min.insync.replicas': '2', 'segment.ms': '5400000', 'max.message.bytes': '1000000',
    }),
    live('users.profile.updated', [[1, 2, 3], [2, 3, 1], [3, 1, 2]], {
      'cleanup.policy': 'compact,delete', 'min.cleanable.dirty.ratio': '0.1', 'delete.retention.ms': '86400000',
      'flush.messages': '9223372036854775807', 'preallocate': 'true', 'message.timestamp.type': 'LogAppendTime',
      'min.compaction.lag.ms': '1500', 'confluent.tier.enable': 'false',
    }),
    live('orders.refund.issued', [[1], [2], [3], [1], [2], [3]], {
      'retention.ms': '-1', 'retention.bytes': '-1', 'min.insync.replicas': ['2', 'dynamic-default-broker'],
    }),
    live('orders.audit.logged', [[1, 2, 3], [2, 3, 1], [3, 1, 2]], {'retention.ms': ['86400000', 'dynamic-broker'], 'local.retention.ms': '-2'}),
    live('__consumer_offsets', [[1]], {'cleanup.policy': 'compact'}, true),
    live('_schemas', [[1]], {'cleanup.policy': 'compact'}),
  ],
}

function roundTrip(text: string, live: LiveClusterState) {
  const {spec, problems} = parseTopicsSpec(text, 'exported.yaml')
  expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([])
  return planTopicChanges(spec!, live, {prune: true})
}

describe('exportTopicsSpec', () => {
  it('writes only topic overrides, in human units where exact, with defaults for the common counts', () => {
    expect(exportTopicsSpec(state, {prefix: 'orders.', schema: './node_modules/kafkit/schema/topics.schema.json'}).yaml).toBe(`\
# yaml-language-server: $schema=./node_modules/kafkit/schema/topics.schema.json

# Exported by kafkit from cluster q1Sh-9_ISia_zwGINzRvyQ (topics under "orders.").
# Only topic-level overrides are listed; everything else comes from the brokers.

version: 1
cluster:
  # plan and apply refuse any other cluster
  id: q1Sh-9_ISia_zwGINzRvyQ
defaults:
  partitions: 3
  replicationFactor: 3
managed:
  prefixes:
    - orders.
topics:
  - name: orders.audit.logged
    config:
      local.retention.ms: -2
  - name: orders.payment.completed
    config:
      cleanup.policy: delete
      compression.type: snappy
      max.message.bytes: 1000000
      min.insync.replicas: 2
      retention.bytes: 1GiB
      retention.ms: 7d
      segment.ms: 90m
  - name: orders.refund.issued
    partitions: 6
    replicationFactor: 1
    config:
      retention.bytes: -1
      retention.ms: -1
`)
  })

  it('round-trips: export, parse, plan against the same cluster = no changes', () => {
    const plan = roundTrip(exportTopicsSpec(state).yaml, state)
    expect(plan.errors).toEqual([])
    expect(plan.changes).toEqual([])
    expect(plan.unmanaged).toEqual([])
    expect(plan.inSync).toBe(4)
  })

  it('round-trips with a prefix: the other topics stay unmanaged, even with prune', () => {
    const plan = roundTrip(exportTopicsSpec(state, {prefix: 'users.'}).yaml, state)
    expect(plan.changes).toEqual([])
    expect(plan.inSync).toBe(1)
    expect(plan.unmanaged).toEqual(['orders.audit.logged', 'orders.payment.completed', 'orders.refund.issued'])
  })

  it('notes overrides of configs it does not know, which plan keeps', () => {
    const text = exportTopicsSpec(state, {prefix: 'users.'}).yaml
    expect(text).toContain('  # not listed, unknown to kafkit (plan and apply keep them): confluent.tier.enable=false\n  - name: users.profile.updated\n')
    expect(text).toContain('      flush.messages: "9223372036854775807"\n')
    expect(text).toContain('      min.cleanable.dirty.ratio: 0.1\n')
    expect(text).toContain('      cleanup.policy: compact,delete\n')
  })

  it('exports an empty cluster as a valid file', () => {
    const empty: LiveClusterState = {clusterId: 'c', brokers, topics: []}
    const plan = roundTrip(exportTopicsSpec(empty).yaml, empty)
    expect(plan.changes).toEqual([])
    expect(exportTopicsSpec(empty).yaml).toContain('topics: []\n')
  })
})

describe('exportTopicsSpec: partitions with different replica counts', () => {
  it('says so (comment and warning) instead of writing one replicationFactor silently', () => {
    const partial: LiveClusterState = {clusterId: 'c', brokers, topics: [live('orders.payment.completed', [[1, 2, 3], [2, 3], [3, 1, 2]])]}
    const exported = exportTopicsSpec(partial)
    expect(exported.uneven).toEqual([{topic: 'orders.payment.completed', replicationFactor: 3, partitions: [{partition: 1, replicas: [2, 3]}]}])
    expect(exported.yaml).toContain(
      '  # partitions have different replica counts (partition 1 has 2 (2,3); the others 3): exported as replicationFactor 3, so plan will reassign the partition that differs; finish or undo the reassignment, or change replicationFactor\n  - name: orders.payment.completed\n',
    )
    // what the warning announces is what plan does
    const plan = roundTrip(exported.yaml, partial)
    expect(plan.changes).toMatchObject([{kind: 'replication', topic: 'orders.payment.completed', partitions: [{partition: 1, from: [2, 3]}]}])
    expect(exportTopicsSpec(state).uneven).toEqual([])
  })
})
