/**
 * The admin operations kafkajs 2.2.4 lacks, sent by ./protocol on kafkajs's own broker
 * connections and routed the way Kafka's AdminClient routes them:
 *
 *   IncrementalAlterConfigs   topics: any broker; a broker's own configs: that broker
 *   OffsetDelete              the group's coordinator
 *   ElectLeaders              the controller (kafkajs's controller; in KRaft a broker forwards it)
 *   Describe/AlterClientQuotas, Describe/AlterUserScramCredentials   any broker
 *
 * Each function takes the Cluster (see ProtocolCluster) and returns plain results: per-item
 * errors (a partition, a user, a quota entity) as {code, message} in kafkit's words; an error of
 * the whole request is thrown as one KafkitError line. No kafkajs type appears in a signature.
 * `adminExtra(conn)` binds them to a connection, each call under its --timeout.
 */
import {KafkitError, type ErrorCode} from '../errors.js'
import type {KafkaConnection} from './connection.js'
import {kafkaErrorOfCode} from './errors.js'
import {connectionCluster} from './groups.js'
import {type QuotaAlteration, type QuotaEntityComponent, type QuotaFilterComponent, sendAlterClientQuotas, sendDescribeClientQuotas} from './protocol/client-quotas.js'
import {type ElectionType, sendElectLeaders} from './protocol/elect-leaders.js'
import {type ConfigResourceOps, type ConfigResourceType, sendIncrementalAlterConfigs} from './protocol/incremental-alter-configs.js'
import {sendOffsetDelete} from './protocol/offset-delete.js'
import {type ScramMechanism, scramUpsertion, sendAlterUserScramCredentials, sendDescribeUserScramCredentials, SCRAM_MIN_ITERATIONS} from './protocol/scram-credentials.js'
import type {ProtocolBroker, ProtocolCluster} from './protocol/wire.js'

export type {QuotaEntityComponent, QuotaEntityType, QuotaFilterComponent} from './protocol/client-quotas.js'
export type {ElectionType} from './protocol/elect-leaders.js'
export type {ConfigResourceType} from './protocol/incremental-alter-configs.js'
export type {ScramMechanism} from './protocol/scram-credentials.js'
export type {ProtocolCluster} from './protocol/wire.js'

/** A Kafka error of one item: Kafka's name for it and one line in kafkit's words. */
export interface KafkaItemError {
  readonly code: ErrorCode
  readonly message: string
}

const itemError = (errorCode: number, brokerMessage?: string | null): KafkaItemError | null => (errorCode === 0 ? null : kafkaErrorOfCode(errorCode, brokerMessage))

/** The whole request failed: one KafkitError line, `what` naming the operation. */
function requestError(what: string, errorCode: number, brokerMessage?: string | null): KafkitError {
  const {code, message} = kafkaErrorOfCode(errorCode, brokerMessage)
  return new KafkitError(`${what}: ${message}`, {code})
}

/** Errors after which the request is sent again to a freshly looked-up broker. */
const MOVED = new Set(['NOT_CONTROLLER', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS'])
const ATTEMPTS = 3

/** kafkajs's controller: in KRaft a broker, which forwards controller requests; "any broker" for the others. */
function anyBroker(cluster: ProtocolCluster): Promise<ProtocolBroker> {
  return cluster.findControllerBroker()
}

// ---------------------------------------------------------------------------------------------
// IncrementalAlterConfigs

export interface ConfigKeyChanges {
  readonly type: ConfigResourceType
  /** The topic; for a broker its id ('' = the cluster-wide default). */
  readonly name: string
  /** Keys to set, with their values. */
  readonly set?: Readonly<Record<string, string>>
  /** Keys whose override to delete (back to the inherited value). */
  readonly delete?: readonly string[]
}

export interface ConfigChangeResult {
  readonly type: ConfigResourceType
  readonly name: string
  readonly error: KafkaItemError | null
}

const RESOURCE_TYPE_NAMES: Record<number, ConfigResourceType> = {2: 'topic', 4: 'broker', 8: 'brokerLogger'}

/**
 * Sets and deletes single config keys; every other override of the resource stays as it is.
 * Results in the order of `changes`. A specific broker's configs go to that broker, the rest in
 * one request to any broker.
 */
export async function incrementalAlterConfigs(cluster: ProtocolCluster, changes: readonly ConfigKeyChanges[], opts: {validateOnly?: boolean} = {}): Promise<ConfigChangeResult[]> {
  const toOps = (c: ConfigKeyChanges): ConfigResourceOps => ({
    type: c.type,
    name: c.name,
    ops: [...Object.entries(c.set ?? {}).map(([name, value]) => ({name, op: 'set' as const, value})), ...(c.delete ?? []).map((name) => ({name, op: 'delete' as const, value: null}))],
  })
  const ownBroker = (c: ConfigKeyChanges) => c.type !== 'topic' && /^\d+$/.test(c.name)
  const byBroker = new Map<string, ConfigKeyChanges[]>()
  for (const c of changes) {
    const key = ownBroker(c) ? c.name : ''
    byBroker.set(key, [...(byBroker.get(key) ?? []), c])
  }
  const found = new Map<string, KafkaItemError | null>()
  const keyOf = (type: ConfigResourceType, name: string) => `${type}\u0000${name}`
  const known = new Set(cluster.getNodeIds().map(String))
  for (const [nodeId, batch] of byBroker) {
    if (nodeId === '' || known.has(nodeId)) continue
    for (const c of batch) found.set(keyOf(c.type, c.name), {code: 'BROKER_NOT_FOUND', message: `no broker with id ${nodeId} in the cluster`})
    byBroker.delete(nodeId)
  }
  await Promise.all(
    [...byBroker].map(async ([nodeId, batch]) => {
      const broker = nodeId === '' ? await anyBroker(cluster) : await cluster.findBroker({nodeId})
      const results = await sendIncrementalAlterConfigs(broker, batch.map(toOps), opts.validateOnly ?? false)
      for (const r of results) found.set(keyOf(RESOURCE_TYPE_NAMES[r.type] ?? 'topic', r.name), itemError(r.errorCode, r.errorMessage))
    }),
  )
  return changes.map((c) => {
    const error = found.get(keyOf(c.type, c.name))
    return {type: c.type, name: c.name, error: error === undefined ? {code: 'NO_ANSWER', message: 'the broker did not answer for this resource'} : error}
  })
}

// ---------------------------------------------------------------------------------------------
// OffsetDelete

export interface PartitionRef {
  readonly topic: string
  readonly partition: number
}

export interface PartitionResult extends PartitionRef {
  readonly error: KafkaItemError | null
}

function groupByTopic(partitions: readonly PartitionRef[]): {topic: string; partitions: number[]}[] {
  const byTopic = new Map<string, number[]>()
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition])
  return [...byTopic].map(([topic, ps]) => ({topic, partitions: ps}))
}

/**
 * Deletes the group's committed offsets of the partitions (KIP-496). A partition the group's
 * members still consume fails alone (GROUP_SUBSCRIBED_TO_TOPIC); an error of the group itself
 * (it does not exist, not authorised) is thrown.
 */
export async function deleteGroupOffsets(cluster: ProtocolCluster, group: string, partitions: readonly PartitionRef[]): Promise<PartitionResult[]> {
  if (partitions.length === 0) return []
  for (let attempt = 1; ; attempt++) {
    const coordinator = await cluster.findGroupCoordinator({groupId: group})
    const response = await sendOffsetDelete(coordinator, group, groupByTopic(partitions))
    if (response.errorCode !== 0) {
      const {code} = kafkaErrorOfCode(response.errorCode)
      if (MOVED.has(code) && attempt < ATTEMPTS) continue
      throw requestError(`delete offsets of group ${group}`, response.errorCode)
    }
    const answered = new Map<string, number>()
    for (const t of response.topics) for (const p of t.partitions) answered.set(`${t.topic}:${p.partition}`, p.errorCode)
    return partitions.map((p) => {
      const code = answered.get(`${p.topic}:${p.partition}`)
      return {topic: p.topic, partition: p.partition, error: code === undefined ? {code: 'NO_ANSWER', message: 'the coordinator did not answer for this partition'} : itemError(code)}
    })
  }
}

// ---------------------------------------------------------------------------------------------
// ElectLeaders

/**
 * Elects the preferred (or, unclean, any live) replica as leader (KIP-460). partitions null:
 * every partition of the cluster, and the results list those the controller looked at. A
 * partition already led by its preferred replica has the error ELECTION_NOT_NEEDED.
 */
export async function electLeaders(
  cluster: ProtocolCluster,
  opts: {type?: ElectionType; partitions: readonly PartitionRef[] | null; timeoutMs: number},
): Promise<PartitionResult[]> {
  const topics = opts.partitions === null ? null : groupByTopic(opts.partitions)
  if (topics !== null && topics.length === 0) return []
  for (let attempt = 1; ; attempt++) {
    const controller = await cluster.findControllerBroker()
    const response = await sendElectLeaders(controller, opts.type ?? 'preferred', topics, opts.timeoutMs)
    if (response.errorCode !== 0) {
      const {code} = kafkaErrorOfCode(response.errorCode)
      if (MOVED.has(code) && attempt < ATTEMPTS) {
        await cluster.refreshMetadata()
        continue
      }
      throw requestError('elect leaders', response.errorCode)
    }
    const results: PartitionResult[] = []
    for (const t of response.topics) for (const p of t.partitions) results.push({topic: t.topic, partition: p.partition, error: itemError(p.errorCode, p.errorMessage)})
    return results.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
  }
}

// ---------------------------------------------------------------------------------------------
// Client quotas

export interface ClientQuota {
  readonly entity: readonly QuotaEntityComponent[]
  readonly values: Readonly<Record<string, number>>
}

/**
 * The quotas of the entities matching every filter component (strict: only entities with no
 * other component). [] for no component and strict false: every quota of the cluster.
 */
export async function describeClientQuotas(cluster: ProtocolCluster, filter: readonly QuotaFilterComponent[], opts: {strict?: boolean} = {}): Promise<ClientQuota[]> {
  const response = await sendDescribeClientQuotas(await anyBroker(cluster), filter, opts.strict ?? false)
  if (response.errorCode !== 0) throw requestError('describe client quotas', response.errorCode, response.errorMessage)
  return response.entries.map((e) => ({entity: e.entity, values: e.values}))
}

export interface QuotaChange {
  readonly entity: readonly QuotaEntityComponent[]
  /** Keys to set (producer_byte_rate, consumer_byte_rate, request_percentage, ...). */
  readonly set?: Readonly<Record<string, number>>
  /** Keys to remove. */
  readonly remove?: readonly string[]
}

export interface QuotaChangeResult {
  readonly entity: readonly QuotaEntityComponent[]
  readonly error: KafkaItemError | null
}

const entityKey = (entity: readonly QuotaEntityComponent[]) =>
  [...entity]
    .map((c) => `${c.type}=${c.name ?? '\u0000'}`)
    .sort()
    .join('\u0001')

/** Sets and removes quota keys of entities; results in the order of `changes`. */
export async function alterClientQuotas(cluster: ProtocolCluster, changes: readonly QuotaChange[], opts: {validateOnly?: boolean} = {}): Promise<QuotaChangeResult[]> {
  if (changes.length === 0) return []
  const alterations: QuotaAlteration[] = changes.map((c) => ({
    entity: c.entity,
    ops: [...Object.entries(c.set ?? {}).map(([key, value]) => ({key, value})), ...(c.remove ?? []).map((key) => ({key, value: null}))],
  }))
  const results = await sendAlterClientQuotas(await anyBroker(cluster), alterations, opts.validateOnly ?? false)
  const found = new Map(results.map((r) => [entityKey(r.entity), itemError(r.errorCode, r.errorMessage)]))
  return changes.map((c) => {
    const error = found.get(entityKey(c.entity))
    return {entity: c.entity, error: error === undefined ? {code: 'NO_ANSWER', message: 'the broker did not answer for this entity'} : error}
  })
}

// ---------------------------------------------------------------------------------------------
// SCRAM credentials

export interface ScramUser {
  readonly user: string
  readonly credentials: readonly {readonly mechanism: string; readonly iterations: number}[]
  /** RESOURCE_NOT_FOUND for a user named in the request that has no credential. */
  readonly error: KafkaItemError | null
}

/** The SCRAM mechanisms of the users (null: every user that has one). */
export async function describeScramUsers(cluster: ProtocolCluster, users: readonly string[] | null): Promise<ScramUser[]> {
  const response = await sendDescribeUserScramCredentials(await anyBroker(cluster), users)
  if (response.errorCode !== 0) throw requestError('describe SCRAM users', response.errorCode, response.errorMessage)
  return response.users.map((u) => ({user: u.user, credentials: u.credentials, error: itemError(u.errorCode, u.errorMessage)}))
}

export interface ScramCredentialChanges {
  /** Create or replace a user's credential; the password is salted and hashed here and never sent. */
  readonly upsert?: readonly {readonly user: string; readonly mechanism: ScramMechanism; readonly password: string; readonly iterations?: number}[]
  readonly delete?: readonly {readonly user: string; readonly mechanism: ScramMechanism}[]
}

export interface ScramUserResult {
  readonly user: string
  readonly error: KafkaItemError | null
}

/** Creates, replaces and deletes SCRAM credentials; one result per user named. */
export async function alterScramCredentials(cluster: ProtocolCluster, changes: ScramCredentialChanges): Promise<ScramUserResult[]> {
  const upsertions = (changes.upsert ?? []).map((u) => scramUpsertion(u.user, u.mechanism, u.password, u.iterations ?? SCRAM_MIN_ITERATIONS))
  const deletions = (changes.delete ?? []).map((d) => ({user: d.user, mechanism: d.mechanism}))
  if (upsertions.length === 0 && deletions.length === 0) return []
  const results = await sendAlterUserScramCredentials(await anyBroker(cluster), deletions, upsertions)
  return results.map((r) => ({user: r.user, error: itemError(r.errorCode, r.errorMessage)}))
}

// ---------------------------------------------------------------------------------------------
// Bound to a connection

/** The operations above on the connection's Cluster, each under the connection's --timeout. */
export interface AdminExtra {
  incrementalAlterConfigs(changes: readonly ConfigKeyChanges[], opts?: {validateOnly?: boolean}): Promise<ConfigChangeResult[]>
  deleteGroupOffsets(group: string, partitions: readonly PartitionRef[]): Promise<PartitionResult[]>
  electLeaders(opts: {type?: ElectionType; partitions: readonly PartitionRef[] | null; timeoutMs?: number}): Promise<PartitionResult[]>
  describeClientQuotas(filter: readonly QuotaFilterComponent[], opts?: {strict?: boolean}): Promise<ClientQuota[]>
  alterClientQuotas(changes: readonly QuotaChange[], opts?: {validateOnly?: boolean}): Promise<QuotaChangeResult[]>
  describeScramUsers(users: readonly string[] | null): Promise<ScramUser[]>
  alterScramCredentials(changes: ScramCredentialChanges): Promise<ScramUserResult[]>
}

export function adminExtra(conn: KafkaConnection): AdminExtra {
  const run = <T>(what: string, fn: (cluster: ProtocolCluster) => Promise<T>) =>
    conn.run(what, async () => fn((await connectionCluster(conn)) as unknown as ProtocolCluster))
  return {
    incrementalAlterConfigs: (changes, opts) => run('alter configs', (c) => incrementalAlterConfigs(c, changes, opts)),
    deleteGroupOffsets: (group, partitions) => run(`delete offsets of group ${group}`, (c) => deleteGroupOffsets(c, group, partitions)),
    electLeaders: (opts) => run('elect leaders', (c) => electLeaders(c, {...opts, timeoutMs: opts.timeoutMs ?? conn.timeoutMs})),
    describeClientQuotas: (filter, opts) => run('describe client quotas', (c) => describeClientQuotas(c, filter, opts)),
    alterClientQuotas: (changes, opts) => run('alter client quotas', (c) => alterClientQuotas(c, changes, opts)),
    describeScramUsers: (users) => run('describe SCRAM users', (c) => describeScramUsers(c, users)),
    alterScramCredentials: (changes) => run('alter SCRAM credentials', (c) => alterScramCredentials(c, changes)),
  }
}
