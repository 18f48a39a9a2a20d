/**
 * An in-memory KafkaClient (the port of src/app/kafka-client.ts) for unit tests of the use cases.
 *
 * It models what the use cases rely on, as the real adapter (src/kafka) shows it: brokers, topics
 * (partitions with leader/replicas/ISR, configs with their source), consumer groups (state,
 * members, committed offsets), partition logs (records with offsets and timestamps, log start and
 * end), a console producer and consumer, the DLQ reader and transactional replay writer, and the
 * admin APIs of the protocol module as plain maps. Errors carry the adapter's codes and wording
 * (UNKNOWN_TOPIC "topic ... not found on ...", TOPIC_ALREADY_EXISTS, GROUP_ACTIVE, ...).
 *
 * Every call is logged (`calls`, `callsOf(name)`), so a test can assert batching: one
 * describeTopics for N topics, one writer.commit per chunk. `failNext(method, error)` makes the
 * next call of a method throw (a cluster failure). Nothing here is timed: no test waits on a clock.
 */
import {Buffer} from 'node:buffer'

import type {KafkaClient, ConsoleConsumerOptions, RunningConsumer} from '../../../src/app/kafka-client.js'
import {isInternalTopic, type ConfigSource, type LiveBroker, type LiveConfigEntry, type LivePartition, type LiveTopic} from '../../../src/core/cluster-state.js'
import type {ConsumedRecord, RecordHeaders} from '../../../src/core/record.js'
import {activeGroupError, RESETTABLE_GROUP_STATES} from '../../../src/core/consumer-groups.js'
import type {CommittedOffset, GroupMemberAssignment} from '../../../src/core/lag.js'
import {TOPIC_CONFIGS} from '../../../src/core/topic-configs.js'
import {compareTopicPartitions, topicPartitionKey, type TopicPartition, type TopicPartitionOffset} from '../../../src/core/topic-partition.js'
import {KafkitError, kafkaErrorName, notFound, type ErrorCode} from '../../../src/errors.js'
import type {ConfigResourceDescription, DescribedConfig} from '../../../src/core/config-changes.js'
import {aclKey, type AclBinding, type AclFilter} from '../../../src/core/acls.js'
import type {ReassignmentInProgress} from '../../../src/app/kafka-client.js'

// ---------------------------------------------------------------------------------------------
// The model

export interface FakeRecord {
  offset: number
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeaders
}

export interface FakePartition {
  partition: number
  /** -1: no leader (offline). */
  leader: number
  replicas: number[]
  isr: number[]
  /** First offset still in the log (retention moves it). */
  logStart: number
  /** Next offset to be written (the high watermark). */
  logEnd: number
  /** Records from logStart to logEnd (a compacted log may have gaps). */
  records: FakeRecord[]
}

export interface FakeTopic {
  name: string
  partitions: FakePartition[]
  /** Overrides set on the topic (source 'topic'). */
  overrides: Record<string, string>
}

export interface FakeGroup {
  group: string
  state: string
  protocolType: string
  protocol: string
  members: GroupMemberAssignment[]
  /** topic:partition → committed offset. */
  offsets: Map<string, number>
}

export interface FakeCall {
  method: string
  args: unknown[]
}

export interface RecordInput {
  key?: string | Buffer | null
  value?: string | Buffer | null
  headers?: Record<string, string> | RecordHeaders
  timestamp?: number
}

const bytes = (v: string | Buffer | null | undefined): Buffer | null => (v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8'))

function toHeaders(h: RecordInput['headers']): RecordHeaders {
  if (h === undefined) return []
  if (Array.isArray(h)) return h
  return Object.entries(h).map(([name, value]) => ({name, value: Buffer.from(value, 'utf8')}))
}

/** A stable partition for a key (not Kafka's murmur2: the use cases never depend on which). */
function keyPartition(key: Buffer, count: number): number {
  let hash = 2166136261
  for (const b of key) hash = Math.imul(hash ^ b, 16777619) >>> 0
  return hash % count
}

/** kafkaErrorOfCode's words for LEADER_NOT_AVAILABLE (src/kafka/errors.ts). */
const LEADER_NOT_AVAILABLE = 'a partition has no leader (offline: its replicas are down, or a new leader is not elected yet); kafkit cluster health shows which'

const topicNameOrder = new Intl.Collator()
const sortByName = <T extends {name: string}>(items: T[]) => items.sort((a, b) => topicNameOrder.compare(a.name, b.name))

export class FakeKafka {
  readonly brokersLabel: string
  timeoutMs = 30_000
  clusterId = 'fake-cluster'
  controller: number | null = 1
  brokers: LiveBroker[]
  readonly topics = new Map<string, FakeTopic>()
  readonly groups = new Map<string, FakeGroup>()
  /** Broker-level values of topic configs (source 'static-broker' unless given), over Kafka's defaults. */
  readonly brokerConfigs: Record<string, {value: string; source: ConfigSource}> = {}
  /** Per-topic refusals of the topic writes of `topics apply`: method → topic → broker's reason. */
  readonly refusals = new Map<string, Map<string, string>>()
  /** Topics whose reassignment waitForReassignments reports as not finished. */
  readonly stuckReassignments = new Set<string>()
  /** Records per batch handed to the console consumer and to readToEnd's handler. */
  fetchBatchSize = 100
  /** The time stamped on produced records that carry none. */
  now = Date.UTC(2026, 0, 15, 12, 0, 0)
  readonly calls: FakeCall[] = []
  readonly quotas = new Map<string, {entity: {type: 'user' | 'client-id' | 'ip'; name: string | null}[]; values: Record<string, number>}>()
  readonly scram = new Map<string, Map<string, number>>()
  /**
   * Broker configs as DescribeConfigs shows them on a broker: name → static value (null: unset),
   * type, flags. Dynamic values sit in `brokerDynamic` (per broker id, '' = the cluster-wide default).
   */
  readonly brokerKeys = new Map<string, {value: string | null; type: string; readOnly?: boolean; sensitive?: boolean}>([
    ['broker.id', {value: null, type: 'int', readOnly: true}],
    ['num.io.threads', {value: '8', type: 'int'}],
    ['log.cleaner.threads', {value: '1', type: 'int'}],
    ['log.retention.ms', {value: null, type: 'long'}],
    ['message.max.bytes', {value: '1048588', type: 'int'}],
    ['listener.name.internal.ssl.key.password', {value: null, type: 'password', sensitive: true}],
  ])
  readonly brokerDynamic = new Map<string, Record<string, string>>()
  /** Refusals of incrementalAlterConfigs: `${type}:${name}:${key}` → the broker's error (validateOnly runs them too). */
  readonly configRefusals = new Map<string, {code: ErrorCode; message: string}>()
  /** Every incrementalAlterConfigs that changed something (validateOnly ones are only in `calls`). */
  readonly configWrites: {type: string; name: string; set: Record<string, string>; delete: string[]}[] = []
  /** Reassignments in progress, by topic:partition, with the replicas they started from. */
  readonly reassignments = new Map<string, ReassignmentInProgress & {original: number[]; pollsLeft: number}>()
  /** How many listReassignments that see a started move it stays in progress (0: done at once). */
  movePolls = 0
  /** Per-partition refusals of alterReassignments: topic:partition → error. */
  readonly reassignRefusals = new Map<string, {code: ErrorCode; message: string}>()
  /** Size in bytes of each partition's replicas (topic:partition), on every broker holding one. */
  readonly replicaBytes = new Map<string, number>()
  /** Brokers whose DescribeLogDirs fails, with the adapter's line. */
  readonly logDirsUnknown = new Map<number, string>()
  readonly acls: AclBinding[] = []
  /** Quota keys AlterClientQuotas refuses, with the broker's error. */
  readonly quotaRefusals = new Map<string, {code: ErrorCode; message: string}>()
  /** Every replay writer opened, with its commits in order. */
  readonly writers: {transactionalId: string; groupId: string; dlqTopic: string; commits: {messages: {topic: string; key: Buffer | null; value: Buffer | null; headers: RecordHeaders}[]; offsets: {partition: number; offset: number}[]}[]}[] = []
  /** Every console consumer started, running or stopped. */
  readonly consumers: {options: ConsoleConsumerOptions; stopped: boolean; crash(error: Error): void}[] = []
  private readonly injected = new Map<string, Error[]>()

  constructor(opts: {brokers?: number; bootstrap?: string} = {}) {
    const count = opts.brokers ?? 3
    this.brokers = Array.from({length: count}, (_, i) => ({nodeId: i + 1, host: `broker-${i + 1}`, port: 9092}))
    this.brokersLabel = opts.bootstrap ?? 'fake:9092'
  }

  // -- building the cluster --------------------------------------------------------------------

  /** A topic whose partitions are led by their first replica, ISR = replicas; replicas spread over the brokers unless given. */
  addTopic(name: string, opts: {partitions?: number; replicationFactor?: number; replicas?: number[][]; configs?: Record<string, string>} = {}): FakeTopic {
    const ids = this.brokers.map((b) => b.nodeId)
    const rf = opts.replicationFactor ?? 1
    const replicas = opts.replicas ?? Array.from({length: opts.partitions ?? 1}, (_, p) => Array.from({length: rf}, (_, r) => ids[(p + r) % ids.length]))
    const topic: FakeTopic = {
      name,
      overrides: {...opts.configs},
      partitions: replicas.map((r, partition) => ({partition, leader: r[0] ?? -1, replicas: [...r], isr: [...r], logStart: 0, logEnd: 0, records: []})),
    }
    this.topics.set(name, topic)
    return topic
  }

  partition(topic: string, partition: number): FakePartition {
    const p = this.topics.get(topic)?.partitions[partition]
    if (!p) throw new Error(`fake: no partition ${topic}:${partition}`)
    return p
  }

  /** Appends records to a partition's log; returns their offsets. */
  append(topic: string, partition: number, records: RecordInput[]): number[] {
    const p = this.partition(topic, partition)
    return records.map((r) => {
      const offset = p.logEnd++
      p.records.push({offset, timestamp: r.timestamp ?? this.now, key: bytes(r.key), value: bytes(r.value), headers: toHeaders(r.headers)})
      return offset
    })
  }

  /** Retention: records before `offset` are gone. */
  deleteRecordsBefore(topic: string, partition: number, offset: number): void {
    const p = this.partition(topic, partition)
    p.logStart = Math.max(p.logStart, offset)
    p.records = p.records.filter((r) => r.offset >= p.logStart)
  }

  addGroup(
    group: string,
    opts: {state?: string; protocolType?: string; protocol?: string; members?: Partial<GroupMemberAssignment>[]; offsets?: Record<string, number>} = {},
  ): FakeGroup {
    const members = (opts.members ?? []).map((m, i) => ({consumerId: `member-${i + 1}`, clientId: `client-${i + 1}`, host: `/10.0.0.${i + 1}`, assignment: [], ...m}))
    const g: FakeGroup = {
      group,
      state: opts.state ?? (members.length > 0 ? 'Stable' : 'Empty'),
      protocolType: opts.protocolType ?? 'consumer',
      protocol: opts.protocol ?? (members.length > 0 ? 'range' : ''),
      members,
      offsets: new Map(Object.entries(opts.offsets ?? {})),
    }
    this.groups.set(group, g)
    return g
  }

  /** Records of a partition as the consumer hands them over. */
  records(topic: string, partition: number): ConsumedRecord[] {
    return this.partition(topic, partition).records.map((r) => consumed(topic, partition, r))
  }

  /** The next call of `method` throws `error` (once per call to this). */
  failNext(method: keyof KafkaClient, error: Error): void {
    const list = this.injected.get(method) ?? []
    list.push(error)
    this.injected.set(method, list)
  }

  /** `method` (createTopics, addPartitions, alterTopicConfigs, reassignPartitions, deleteTopicsReportingFailures) refuses `topic`. */
  refuse(method: string, topic: string, reason: string): void {
    const map = this.refusals.get(method) ?? new Map<string, string>()
    map.set(topic, reason)
    this.refusals.set(method, map)
  }

  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args)
  }

  // -- the port ----------------------------------------------------------------------------------

  /**
   * The KafkaClient: every method logged, and throwing what failNext injected. A port method the
   * fake does not implement (one added to the port since) throws "not modelled by the fake".
   */
  client(): KafkaClient {
    const impl: Record<string, unknown> = this.implementation()
    const methods = new Map<string | symbol, unknown>()
    return new Proxy({} as KafkaClient, {
      get: (_target, name) => {
        if (name === 'brokersLabel') return this.brokersLabel
        if (name === 'timeoutMs') return this.timeoutMs
        if (typeof name !== 'string' || name === 'then') return undefined
        let method = methods.get(name)
        if (!method) {
          const fn = impl[name] as ((...a: unknown[]) => unknown) | undefined
          method = (...args: unknown[]) => {
            this.calls.push({method: name, args})
            if (!fn) return Promise.reject(new Error(`${name}: not modelled by the fake`))
            const error = this.injected.get(name)?.shift()
            if (error) return Promise.reject(error)
            return fn(...args)
          }
          methods.set(name, method)
        }
        return method
      },
    })
  }

  private liveTopic(t: FakeTopic, configs: 'all' | readonly string[] | false): LiveTopic {
    const entries: Record<string, LiveConfigEntry> = {}
    if (configs !== false) {
      for (const def of TOPIC_CONFIGS.values()) entries[def.name] = {value: def.kafkaDefault, source: 'default'}
      for (const [name, v] of Object.entries(this.brokerConfigs)) entries[name] = {value: v.value, source: v.source}
      for (const [name, value] of Object.entries(t.overrides)) entries[name] = {value, source: 'topic'}
      if (configs !== 'all') for (const name of Object.keys(entries)) if (!configs.includes(name)) delete entries[name]
    }
    const partitions: LivePartition[] = t.partitions.map((p) => ({
      partition: p.partition,
      leader: p.leader,
      replicas: [...p.replicas],
      isr: [...p.isr],
      offlineReplicas: p.replicas.filter((id) => !this.brokers.some((b) => b.nodeId === id)),
    }))
    return {name: t.name, internal: isInternalTopic(t.name), partitions, configs: entries}
  }

  private unknownTopicError(missing: string[]): KafkitError {
    return notFound('topic', missing, this.brokersLabel)
  }

  private group(name: string): FakeGroup {
    let g = this.groups.get(name)
    if (!g) {
      g = {group: name, state: 'Empty', protocolType: '', protocol: '', members: [], offsets: new Map()}
      this.groups.set(name, g)
    }
    return g
  }

  private leaderOf(tp: TopicPartition): FakePartition | undefined {
    const p = this.topics.get(tp.topic)?.partitions[tp.partition]
    return p && p.leader >= 0 ? p : undefined
  }

  private createOne(t: {topic: string; partitions: number; replicationFactor: number; configs: Record<string, string>}): string | undefined {
    if (t.replicationFactor > this.brokers.length) return `Replication factor: ${t.replicationFactor} larger than available brokers: ${this.brokers.length}`
    this.addTopic(t.topic, {partitions: t.partitions, replicationFactor: t.replicationFactor, configs: t.configs})
    return undefined
  }

  private refusal(method: string, topic: string): string | undefined {
    return this.refusals.get(method)?.get(topic)
  }

  private implementation(): Partial<Omit<KafkaClient, 'brokersLabel' | 'timeoutMs'>> {
    return {
      // -- cluster and topics --
      describeCluster: async (opts = {}) => ({
        clusterId: this.clusterId,
        controller: this.controller,
        brokers: this.brokers.map((b) => (opts.racks === false ? {nodeId: b.nodeId, host: b.host, port: b.port} : {...b})).sort((a, b) => a.nodeId - b.nodeId),
      }),

      describeTopics: async (opts = {}) => {
        let selected = [...this.topics.values()]
        if (opts.names || opts.prefix !== undefined) {
          const names = opts.names ?? []
          const missing = names.filter((n) => !this.topics.has(n))
          if (missing.length > 0) throw this.unknownTopicError(missing)
          selected = selected.filter((t) => names.includes(t.name) || (opts.prefix !== undefined && t.name.startsWith(opts.prefix)))
        }
        const configs = opts.configs ?? 'all'
        return sortByName(selected.map((t) => this.liveTopic(t, opts.configsFor && !opts.configsFor(t.name) ? false : configs)))
      },

      readClusterState: async (opts = {}) => ({
        clusterId: this.clusterId,
        brokers: this.brokers.map((b) => ({...b})).sort((a, b) => a.nodeId - b.nodeId),
        topics: sortByName(
          [...this.topics.values()].map((t) => {
            const live = this.liveTopic(t, opts.configsFor && !opts.configsFor(t.name) ? false : 'all')
            const keep = opts.defaultConfigsFor
            if (keep) for (const [name, e] of Object.entries(live.configs)) if (e.source === 'default' && !keep(t.name, name)) delete live.configs[name]
            return live
          }),
        ),
      }),

      existingTopics: async (topics) => new Set(topics.filter((t) => this.topics.has(t))),

      topicPartitions: async (topics) =>
        [...new Set(topics)].flatMap((topic) => {
          const t = this.topics.get(topic)
          return t ? [{topic, partitions: t.partitions.map((p) => p.partition)}] : []
        }),

      createTopic: async (topic) => {
        if (this.topics.has(topic.topic)) throw new KafkitError(`topic "${topic.topic}" already exists`, {code: 'TOPIC_ALREADY_EXISTS'})
        const refused = this.createOne(topic)
        if (refused) throw new KafkitError(refused, {code: 'INVALID_REPLICATION_FACTOR'})
      },

      deleteTopics: async (names) => {
        const missing = names.filter((n) => !this.topics.has(n))
        for (const n of names) this.topics.delete(n)
        if (missing.length > 0) throw new KafkitError('topic or partition does not exist', {code: 'UNKNOWN_TOPIC_OR_PARTITION'})
      },

      // -- topic changes: per-topic failures as data --
      createTopics: async (topics) =>
        topics.flatMap((t) => {
          const refused = this.refusal('createTopics', t.topic)
          if (refused) return [{topic: t.topic, error: refused}]
          // TOPIC_ALREADY_EXISTS is not a failure: the re-plan compares the topic with the file.
          if (this.topics.has(t.topic)) return []
          const error = this.createOne(t)
          return error ? [{topic: t.topic, error}] : []
        }),

      addPartitions: async (items) =>
        items.flatMap((item) => {
          const refused = this.refusal('addPartitions', item.topic)
          if (refused) return [{topic: item.topic, error: refused}]
          const t = this.topics.get(item.topic)
          if (!t) return [{topic: item.topic, error: 'topic or partition does not exist'}]
          if (item.count <= t.partitions.length) return [{topic: item.topic, error: 'invalid partition count'}]
          const rf = t.partitions[0]?.replicas.length ?? 1
          const ids = this.brokers.map((b) => b.nodeId)
          for (let p = t.partitions.length; p < item.count; p++) {
            const replicas = item.assignments?.[p - (item.count - item.assignments.length)] ?? Array.from({length: rf}, (_, r) => ids[(p + r) % ids.length])
            t.partitions.push({partition: p, leader: replicas[0], replicas: [...replicas], isr: [...replicas], logStart: 0, logEnd: 0, records: []})
          }
          return []
        }),

      alterTopicConfigs: async (items) =>
        items.flatMap((item) => {
          const refused = this.refusal('alterTopicConfigs', item.topic)
          if (refused) return [{topic: item.topic, error: refused}]
          const t = this.topics.get(item.topic)
          if (!t) return [{topic: item.topic, error: 'topic or partition does not exist'}]
          Object.assign(t.overrides, item.set)
          for (const key of item.delete) delete t.overrides[key]
          return []
        }),

      reassignPartitions: async (items) =>
        items.flatMap((item) => {
          const refused = this.refusal('reassignPartitions', item.topic)
          if (refused) return [{topic: item.topic, error: refused}]
          const t = this.topics.get(item.topic)
          if (!t) return [{topic: item.topic, error: 'topic or partition does not exist'}]
          for (const {partition, replicas} of item.partitions) {
            const p = t.partitions[partition]
            p.replicas = [...replicas]
            p.isr = [...replicas]
            if (!replicas.includes(p.leader)) p.leader = replicas[0]
          }
          return []
        }),

      waitForReassignments: async (topics, opts) => {
        const stuck = topics.filter((t) => this.stuckReassignments.has(t))
        opts.onProgress?.({remaining: stuck.length, total: opts.total ?? stuck.length} as never)
        return stuck.map((topic) => ({topic, error: `reassignment still in progress after ${Math.round(opts.timeoutMs / 1000)}s`}))
      },

      deleteTopicsReportingFailures: async (names) =>
        names.flatMap((topic) => {
          const refused = this.refusal('deleteTopicsReportingFailures', topic)
          if (refused) return [{topic, error: refused}]
          // An unknown topic is already deleted: success, as the adapter counts it.
          this.topics.delete(topic)
          return []
        }),

      // -- groups and offsets --
      listGroups: async () =>
        [...this.groups.values()].map((g) => ({group: g.group, protocolType: g.protocolType})).sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)),

      describeGroups: async (groups) =>
        [...new Set(groups)].map((name) => {
          const g = this.groups.get(name)
          const coordinator = {nodeId: this.brokers[0].nodeId, host: this.brokers[0].host, port: this.brokers[0].port}
          if (!g) return {group: name, state: 'Dead', protocolType: '', protocol: '', coordinator, members: []}
          return {group: name, state: g.state, protocolType: g.protocolType, protocol: g.protocol, coordinator, members: g.members.map((m) => ({...m, assignment: [...m.assignment]}))}
        }),

      committedOffsets: async (group, partitions) => this.committed(group, partitions),

      committedOffsetsOfGroups: async (groups) => groups.map((g) => this.committed(g)),

      logOffsets: async (partitions, spec) =>
        partitions.flatMap((tp) => {
          const p = this.leaderOf(tp)
          if (!p) return []
          if (spec === 'earliest') return [{...tp, offset: p.logStart}]
          if (spec === 'latest') return [{...tp, offset: p.logEnd}]
          const found = p.records.find((r) => r.timestamp >= spec.timestamp)
          return found ? [{topic: tp.topic, partition: tp.partition, offset: found.offset}] : []
        }),

      commitOffsetsWhileInactive: async (group, offsets, action = 'reset offsets of') => {
        if (offsets.length === 0) return
        const g = this.groups.get(group)
        if (g && g.members.length > 0) throw activeGroupError(group, g.members, action)
        if (g && !RESETTABLE_GROUP_STATES.includes(g.state)) {
          throw new KafkitError(`group "${group}" did not become inactive within ${this.timeoutMs / 1000}s (it is ${g.state} without members); nothing was committed`, {code: 'GROUP_NOT_INACTIVE'})
        }
        const target = this.group(group)
        for (const o of offsets) target.offsets.set(topicPartitionKey(o), o.offset)
      },

      deleteGroups: async (groups) =>
        [...new Set(groups)].map((group) => {
          const g = this.groups.get(group)
          if (!g) return {group, error: 'GROUP_ID_NOT_FOUND'}
          if (g.members.length > 0) return {group, error: 'NON_EMPTY_GROUP'}
          this.groups.delete(group)
          return {group, error: null}
        }),

      nextMessageTimestamps: async (positions) =>
        positions.map((pos) => {
          const p = this.leaderOf(pos)
          return p?.records.find((r) => r.offset >= pos.offset)?.timestamp ?? null
        }),

      // -- records --
      openConsoleProducer: async () => ({
        send: async (topic, messages) => {
          const t = this.topics.get(topic)
          if (!t) throw new KafkitError('topic or partition does not exist', {code: 'UNKNOWN_TOPIC_OR_PARTITION'})
          for (const m of messages) {
            const partition = m.partition ?? (m.key ? keyPartition(m.key, t.partitions.length) : 0)
            if (!t.partitions[partition]) throw new KafkitError('topic or partition does not exist', {code: 'UNKNOWN_TOPIC_OR_PARTITION'})
          }
          for (const m of messages) {
            const partition = m.partition ?? (m.key ? keyPartition(m.key, t.partitions.length) : 0)
            this.append(topic, partition, [{key: m.key, value: m.value, headers: m.headers, timestamp: m.timestamp === undefined ? undefined : Number(m.timestamp)}])
          }
        },
      }),

      startConsoleConsumer: async (opts) => this.consoleConsumer(opts),

      dlqPartitions: async (topic) => {
        const t = this.topics.get(topic)
        if (!t) throw notFound('topic', [topic], this.brokersLabel)
        return t.partitions.map((p) => {
          if (p.leader < 0) throw new KafkitError(`partition ${topic}:${p.partition} has no leader; try again when the cluster has recovered`, {code: 'LEADER_NOT_AVAILABLE'})
          return {partition: p.partition, start: p.logStart, end: p.logEnd}
        })
      },

      readToEnd: async ({topic, groupId, ranges, handle}) => {
        const pending = ranges.filter((r) => r.from < r.end)
        if (pending.length === 0) return
        // Joining creates the group; leaving leaves it Empty (as a real consumer does).
        const g = this.group(groupId)
        if (g.protocolType === '') g.protocolType = 'consumer'
        const position = new Map(ranges.map((r) => [r.partition, r.from]))
        const ends = new Map(ranges.map((r) => [r.partition, r.end]))
        const left = new Set(pending.map((r) => r.partition))
        while (left.size > 0) {
          for (const partition of [...left]) {
            const from = position.get(partition)!
            const end = ends.get(partition)!
            const batch = this.partition(topic, partition)
              .records.filter((r) => r.offset >= from && r.offset < end)
              .slice(0, this.fetchBatchSize)
            if (batch.length === 0) {
              left.delete(partition)
              continue
            }
            const {next, stop} = await handle(
              partition,
              batch.map((r) => consumed(topic, partition, r)),
              {heartbeat: async () => {}},
            )
            if (stop) return
            const through = Math.max(from, next, Math.min(batch.at(-1)!.offset + 1, end))
            position.set(partition, through)
            if (through >= end) left.delete(partition)
          }
        }
      },

      openReplayWriter: async (options) => {
        const writer = {...options, commits: [] as FakeKafka['writers'][number]['commits']}
        this.writers.push(writer)
        return {
          commit: async (messages, offsets) => {
            const missing = messages.find((m) => !this.topics.has(m.topic))
            if (missing) {
              throw new KafkitError('a replay transaction failed (topic or partition does not exist); its records and progress were committed together or not at all', {
                code: 'TRANSACTION_FAILED',
              })
            }
            writer.commits.push({messages: messages.map((m) => ({...m})), offsets: offsets.map((o) => ({...o}))})
            for (const m of messages) {
              const t = this.topics.get(m.topic)!
              const partition = m.key ? keyPartition(m.key, t.partitions.length) : 0
              this.append(m.topic, partition, [{key: m.key, value: m.value, headers: m.headers}])
            }
            const g = this.group(options.groupId)
            for (const o of offsets) g.offsets.set(topicPartitionKey({topic: options.dlqTopic, partition: o.partition}), o.offset)
          },
        }
      },

      deleteRecords: async (items) =>
        items.map((item) => {
          const p = this.topics.get(item.topic)?.partitions[item.partition]
          if (!p) return {topic: item.topic, partition: item.partition, lowWatermark: null, error: {code: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'topic or partition does not exist'}}
          if (p.leader < 0) return {topic: item.topic, partition: item.partition, lowWatermark: null, error: {code: 'LEADER_NOT_AVAILABLE', message: LEADER_NOT_AVAILABLE}}
          if (item.offset > p.logEnd) return {topic: item.topic, partition: item.partition, lowWatermark: null, error: {code: 'OFFSET_OUT_OF_RANGE', message: 'offset out of range'}}
          this.deleteRecordsBefore(item.topic, item.partition, item.offset)
          return {topic: item.topic, partition: item.partition, lowWatermark: p.logStart, error: null}
        }),

      // -- configs (kafkit configs) --
      describeConfigs: async (resources, opts = {}) => resources.map((r) => this.describeConfigResource(r, opts.keys)),

      // -- partition reassignment --
      listReassignments: async (topics) => {
        const out: ReassignmentInProgress[] = []
        for (const [k, r] of [...this.reassignments]) {
          if (topics !== undefined && !topics.includes(r.topic)) continue
          if (r.pollsLeft <= 0) {
            this.finishMove(k)
            continue
          }
          r.pollsLeft--
          out.push({topic: r.topic, partition: r.partition, replicas: [...r.replicas], adding: [...r.adding], removing: [...r.removing]})
        }
        return out.sort(compareTopicPartitions)
      },

      alterReassignments: async (targets) =>
        targets.map((t) => {
          const ref = {topic: t.topic, partition: t.partition}
          const k = topicPartitionKey(ref)
          const p = this.topics.get(t.topic)?.partitions[t.partition]
          if (!p) return {...ref, error: {code: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'topic or partition does not exist'}}
          const refused = this.reassignRefusals.get(k)
          if (refused) return {...ref, error: refused}
          const running = this.reassignments.get(k)
          if (t.replicas === null) {
            if (!running) return {...ref, error: {code: kafkaErrorName('NO_REASSIGNMENT_IN_PROGRESS'), message: 'no reassignment is in progress for this partition'}}
            p.replicas = [...running.original]
            p.isr = [...running.original]
            p.leader = running.original[0]
            this.reassignments.delete(k)
            return {...ref, error: null}
          }
          const unknown = t.replicas.filter((id) => !this.brokers.some((b) => b.nodeId === id))
          if (unknown.length > 0) return {...ref, error: {code: kafkaErrorName('INVALID_REPLICA_ASSIGNMENT'), message: `replica assignment names unknown broker ${unknown.join(', ')}`}}
          const original = running?.original ?? [...p.replicas]
          const target = [...t.replicas]
          this.reassignments.set(k, {
            ...ref,
            original,
            replicas: [...target, ...original.filter((id) => !target.includes(id))],
            adding: target.filter((id) => !original.includes(id)),
            removing: original.filter((id) => !target.includes(id)),
            pollsLeft: this.movePolls,
          })
          return {...ref, error: null}
        }),

      replicaSizes: async (brokers, partitions) => ({
        sizes: brokers
          .filter((b) => !this.logDirsUnknown.has(b))
          .flatMap((broker) =>
            partitions.flatMap((tp) => {
              const p = this.topics.get(tp.topic)?.partitions[tp.partition]
              const bytes = this.replicaBytes.get(topicPartitionKey(tp))
              return p && bytes !== undefined && p.replicas.includes(broker) ? [{broker, topic: tp.topic, partition: tp.partition, bytes}] : []
            }),
          ),
        unknown: brokers.filter((b) => this.logDirsUnknown.has(b)).map((broker) => ({broker, error: this.logDirsUnknown.get(broker)!})),
      }),

      brokerConfigOverrides: async (brokers, names) =>
        brokers.map((broker) => ({broker, configs: Object.fromEntries(Object.entries(this.brokerDynamic.get(String(broker)) ?? {}).filter(([k]) => names.includes(k)))})),

      // -- ACLs --
      describeAcls: async (filter) => this.acls.filter((a) => aclMatches(a, filter)).map((a) => ({...a})),

      createAcls: async (bindings) => {
        for (const b of bindings) if (!this.acls.some((a) => aclKey(a) === aclKey(b))) this.acls.push({...b})
      },

      deleteAcls: async (bindings) => {
        const wanted = new Set(bindings.map(aclKey))
        const deleted = this.acls.filter((a) => wanted.has(aclKey(a)))
        for (const d of deleted) this.acls.splice(this.acls.indexOf(d), 1)
        return deleted.map((a) => ({...a}))
      },

      // -- the protocol module's admin APIs, as maps --
      incrementalAlterConfigs: async (changes, opts = {}) =>
        changes.map((c) => {
          const where = {type: c.type, name: c.name}
          if (c.type === 'topic' && !this.topics.has(c.name)) return {...where, error: {code: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'topic or partition does not exist'}}
          if (c.type === 'broker' && c.name !== '' && !this.brokers.some((b) => String(b.nodeId) === c.name)) {
            return {...where, error: {code: kafkaErrorName('INVALID_REQUEST'), message: `no broker with id ${c.name}`}}
          }
          if (c.type !== 'topic' && c.type !== 'broker') return {...where, error: {code: kafkaErrorName('NOT_MODELLED'), message: `${c.type} configs are not modelled by the fake`}}
          const keys = [...Object.keys(c.set ?? {}), ...(c.delete ?? [])]
          if (c.type === 'broker') {
            const readOnly = keys.filter((k) => this.brokerKeys.get(k)?.readOnly)
            if (readOnly.length > 0) return {...where, error: {code: kafkaErrorName('INVALID_REQUEST'), message: `Cannot update these configs dynamically: Set(${readOnly.join(', ')})`}}
          }
          for (const k of keys) {
            const refused = this.configRefusals.get(`${c.type}:${c.name}:${k}`)
            if (refused) return {...where, error: refused}
          }
          if (opts.validateOnly) return {...where, error: null}
          const target = c.type === 'topic' ? this.topics.get(c.name)!.overrides : (this.brokerDynamic.get(c.name) ?? {})
          Object.assign(target, c.set ?? {})
          for (const key of c.delete ?? []) delete target[key]
          if (c.type === 'broker') this.brokerDynamic.set(c.name, target)
          this.configWrites.push({type: c.type, name: c.name, set: {...c.set}, delete: [...(c.delete ?? [])]})
          return {...where, error: null}
        }),

      deleteGroupOffsets: async (group, partitions) => {
        const g = this.groups.get(group)
        if (!g) throw new KafkitError(`delete offsets of group ${group}: consumer group does not exist`, {code: 'GROUP_ID_NOT_FOUND'})
        return partitions.map((p) => {
          if (g.members.some((m) => m.assignment.some((a) => a.topic === p.topic))) {
            return {...p, error: {code: 'GROUP_SUBSCRIBED_TO_TOPIC', message: 'the group is still subscribed to the topic (a member consumes it)'}}
          }
          g.offsets.delete(topicPartitionKey(p))
          return {...p, error: null}
        })
      },

      electLeaders: async ({partitions}) => {
        const refs = partitions ?? [...this.topics.values()].flatMap((t) => t.partitions.map((p) => ({topic: t.name, partition: p.partition})))
        return refs
          .map((ref): {topic: string; partition: number; error: {code: ErrorCode; message: string} | null} => {
            const p = this.topics.get(ref.topic)?.partitions[ref.partition]
            if (!p) return {...ref, error: {code: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'topic or partition does not exist'}}
            if (p.leader === p.replicas[0]) return {...ref, error: {code: 'ELECTION_NOT_NEEDED', message: 'the preferred leader is already the leader'}}
            if (!p.isr.includes(p.replicas[0])) return {...ref, error: {code: 'PREFERRED_LEADER_NOT_AVAILABLE', message: 'the preferred replica is not available (down or not in sync)'}}
            p.leader = p.replicas[0]
            return {...ref, error: null}
          })
          .sort(compareTopicPartitions)
      },

      describeClientQuotas: async (filter, opts = {}) =>
        [...this.quotas.values()]
          .filter((q) =>
            filter.every((f) => {
              const c = q.entity.find((e) => e.type === f.type)
              if (!c) return false
              return f.match === 'exact' ? c.name === f.name : f.match === 'default' ? c.name === null : c.name !== null
            }),
          )
          .filter((q) => !opts.strict || q.entity.every((e) => filter.some((f) => f.type === e.type)))
          .map((q) => ({entity: q.entity.map((c) => ({...c})), values: {...q.values}})),

      alterClientQuotas: async (changes) =>
        changes.map((c) => {
          const refused = [...Object.keys(c.set ?? {}), ...(c.remove ?? [])].map((k) => this.quotaRefusals.get(k)).find((e) => e !== undefined)
          if (refused) return {entity: c.entity, error: refused}
          const key = JSON.stringify([...c.entity].sort((a, b) => (a.type < b.type ? -1 : 1)))
          const entry = this.quotas.get(key) ?? {entity: c.entity.map((e) => ({...e})), values: {}}
          Object.assign(entry.values, c.set ?? {})
          for (const k of c.remove ?? []) delete entry.values[k]
          if (Object.keys(entry.values).length === 0) this.quotas.delete(key)
          else this.quotas.set(key, entry)
          return {entity: c.entity, error: null}
        }),

      describeScramUsers: async (users) =>
        (users ?? [...this.scram.keys()].sort()).map((user) => {
          const creds = this.scram.get(user)
          if (!creds) return {user, credentials: [], error: {code: 'RESOURCE_NOT_FOUND', message: 'no such user (no SCRAM credential)'}}
          return {user, credentials: [...creds].map(([mechanism, iterations]) => ({mechanism, iterations})), error: null}
        }),

      alterScramCredentials: async (changes) => {
        const results: {user: string; error: null | {code: ErrorCode; message: string}}[] = []
        for (const u of changes.upsert ?? []) {
          const creds = this.scram.get(u.user) ?? new Map<string, number>()
          creds.set(u.mechanism, u.iterations ?? 4096)
          this.scram.set(u.user, creds)
          results.push({user: u.user, error: null})
        }
        for (const d of changes.delete ?? []) {
          const creds = this.scram.get(d.user)
          if (!creds?.delete(d.mechanism)) {
            results.push({user: d.user, error: {code: 'RESOURCE_NOT_FOUND', message: 'no such user (no SCRAM credential)'}})
            continue
          }
          if (creds.size === 0) this.scram.delete(d.user)
          results.push({user: d.user, error: null})
        }
        return results
      },
    }
  }

  /** A started move completes: the partition has its target replicas. */
  private finishMove(k: string): void {
    const r = this.reassignments.get(k)
    if (!r) return
    const p = this.partition(r.topic, r.partition)
    p.replicas = r.replicas.filter((id) => !r.removing.includes(id))
    p.isr = [...p.replicas]
    p.leader = p.replicas[0]
    this.reassignments.delete(k)
  }

  /** DescribeConfigs of one resource, as src/kafka/configs.ts returns it (sensitive values null). */
  private describeConfigResource(r: {type: 'topic' | 'broker'; name: string}, keys?: readonly string[]): ConfigResourceDescription {
    const wanted = (e: DescribedConfig) => !keys || keys.length === 0 || keys.includes(e.name)
    if (r.type === 'topic') {
      const t = this.topics.get(r.name)
      if (!t) return {...r, error: {code: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'topic or partition does not exist'}, entries: []}
      const live = this.liveTopic(t, 'all')
      const entries = Object.entries(live.configs).map(([name, e]): DescribedConfig => ({
        name,
        value: e.value,
        source: e.source,
        readOnly: false,
        sensitive: false,
        type: TOPIC_CONFIGS.get(name)?.kind === 'duration' ? 'long' : 'string',
        synonyms: [{name, value: e.value, source: e.source}],
      }))
      return {...r, error: null, entries: entries.filter(wanted)}
    }
    const defaults = this.brokerDynamic.get('') ?? {}
    if (r.name === '') {
      const entries = Object.entries(defaults).map(([name, value]): DescribedConfig => {
        const k = this.brokerKeys.get(name)
        return {name, value: k?.sensitive ? null : value, source: 'dynamic-default-broker', readOnly: false, sensitive: k?.sensitive ?? false, type: k?.type ?? 'string', synonyms: []}
      })
      return {...r, error: null, entries: entries.filter(wanted)}
    }
    if (!this.brokers.some((b) => String(b.nodeId) === r.name)) {
      const ids = this.brokers.map((b) => b.nodeId).sort((a, b) => a - b)
      return {...r, error: {code: 'BROKER_NOT_FOUND', message: `no broker with id ${r.name} in the cluster (brokers: ${ids.join(', ')})`}, entries: []}
    }
    const own = this.brokerDynamic.get(r.name) ?? {}
    const entries = [...this.brokerKeys].map(([name, k]): DescribedConfig => {
      const synonyms = [
        ...(name in own ? [{name, value: own[name], source: 'dynamic-broker'}] : []),
        ...(name in defaults ? [{name, value: defaults[name], source: 'dynamic-default-broker'}] : []),
        ...(k.value === null ? [] : [{name, value: k.value, source: 'static-broker'}]),
      ]
      const value = name === 'broker.id' ? r.name : (synonyms[0]?.value ?? null)
      return {
        name,
        value: k.sensitive ? null : value,
        source: synonyms[0]?.source ?? 'default',
        readOnly: k.readOnly ?? false,
        sensitive: k.sensitive ?? false,
        type: k.type,
        synonyms: synonyms.map((syn) => ({...syn, value: k.sensitive ? null : syn.value})),
      }
    })
    return {...r, error: null, entries: entries.filter(wanted)}
  }

  private committed(group: string, partitions?: readonly TopicPartition[]): CommittedOffset[] {
    const offsets = this.groups.get(group)?.offsets ?? new Map<string, number>()
    if (partitions === undefined) {
      return [...offsets]
        .map(([key, offset]) => {
          const i = key.lastIndexOf(':')
          return {topic: key.slice(0, i), partition: Number(key.slice(i + 1)), offset}
        })
        .sort(compareTopicPartitions)
    }
    // Asked for partitions: each comes back, null where nothing is committed (OffsetFetch's -1).
    const unique = [...new Map(partitions.map((tp) => [topicPartitionKey(tp), tp])).values()]
    return unique.map((tp) => ({topic: tp.topic, partition: tp.partition, offset: offsets.get(topicPartitionKey(tp)) ?? null})).sort(compareTopicPartitions)
  }

  /**
   * Hands the records from each start over batch by batch, in offset order per partition, one
   * batch at a time; a real group commits what was resolved and is a member while running. At
   * the end of every log it waits for more records until stopped.
   */
  private consoleConsumer(opts: ConsoleConsumerOptions): RunningConsumer {
    const position = new Map<number, number>(opts.starts.map((s: TopicPartitionOffset) => [s.partition, s.offset]))
    let crash: (error: Error) => void = () => {}
    const crashed = new Promise<never>((_, reject) => {
      crash = reject
    })
    crashed.catch(() => {})
    const entry = {options: opts, stopped: false, crash: (error: Error) => crash(error)}
    this.consumers.push(entry)
    const group = opts.group === undefined ? undefined : this.group(opts.group)
    const member: GroupMemberAssignment = {consumerId: 'kafkit-console-member', clientId: 'kafkit', host: '/127.0.0.1', assignment: opts.starts.map((s) => ({topic: opts.topic, partition: s.partition}))}
    if (group) {
      group.members.push(member)
      group.state = 'Stable'
      group.protocolType = 'consumer'
    }
    const loop = (async () => {
      while (!entry.stopped) {
        let handed = false
        for (const [partition, from] of position) {
          if (entry.stopped) break
          const batch = this.partition(opts.topic, partition).records.filter((r) => r.offset >= from).slice(0, this.fetchBatchSize)
          if (batch.length === 0) continue
          handed = true
          let resolved: string | undefined
          try {
            await opts.onBatch({
              partition,
              records: batch.map((r) => consumed(opts.topic, partition, r)),
              heartbeat: async () => {},
              resolveOffset: (offset) => {
                resolved = offset
              },
            })
          } finally {
            position.set(partition, batch.at(-1)!.offset + 1)
            if (resolved !== undefined && group) group.offsets.set(topicPartitionKey({topic: opts.topic, partition}), Number(resolved) + 1)
          }
          opts.onProgress(partition, batch.at(-1)!.offset)
        }
        await new Promise((resolve) => setImmediate(resolve))
        if (!handed) await new Promise((resolve) => setTimeout(resolve, 1))
      }
    })()
    loop.catch((error: Error) => crash(error))
    return {
      crashed,
      stop: async () => {
        entry.stopped = true
        await loop.catch(() => {})
        if (group) {
          group.members = group.members.filter((m) => m !== member)
          if (group.members.length === 0) group.state = 'Empty'
        }
      },
    }
  }
}

function consumed(topic: string, partition: number, r: FakeRecord): ConsumedRecord {
  return {topic, partition, offset: String(r.offset), timestamp: String(r.timestamp), key: r.key, value: r.value, headers: r.headers.map((h) => ({...h}))}
}

/** Whether a binding matches a DescribeAcls filter (pattern types as Kafka reads them). */
function aclMatches(a: AclBinding, f: AclFilter): boolean {
  if (f.principal !== undefined && a.principal !== f.principal) return false
  if (f.host !== undefined && a.host !== f.host) return false
  if (f.resourceType !== undefined && a.resourceType !== f.resourceType) return false
  if (f.permission !== undefined && a.permission !== f.permission) return false
  if (f.operations && f.operations.length > 0 && !f.operations.includes(a.operation)) return false
  if (f.resourceName === undefined) return f.patternType === 'any' || f.patternType === 'match' || a.patternType === f.patternType
  switch (f.patternType) {
    case 'literal':
    case 'prefixed':
      return a.patternType === f.patternType && a.resourceName === f.resourceName
    case 'any':
      return a.resourceName === f.resourceName
    case 'match':
      return (a.patternType === 'literal' && (a.resourceName === f.resourceName || a.resourceName === '*')) || (a.patternType === 'prefixed' && f.resourceName.startsWith(a.resourceName))
  }
}
