/**
 * Every kafkajs call about consumer groups, batched the way Kafka's own tools batch them.
 *
 * kafkajs's admin client does not fit here, for reasons found in its 2.2.4 source:
 * - fetchTopicOffsets(topic) sends two ListOffsets per topic; lag over 200 groups would send
 *   hundreds. Its Cluster can send one ListOffsets per leader for any number of topics.
 * - describeGroups/fetchOffsets hide the coordinator, which `groups describe` shows.
 * - setOffsets(topic) joins the group as a temporary consumer, one topic per call, and fails
 *   intermittently right after members leave (kafkajs #1219). Kafka's tool instead sends one
 *   OffsetCommit with generation -1 and no member id, which the coordinator accepts only while
 *   the group has no members: the same safety, one request, every topic at once.
 * So this module talks to brokers through kafkajs's internal Cluster/Broker objects (stable in
 * kafkajs 2.2.x, which is in maintenance mode). The Cluster is taken from a consumer created with
 * the connection's ordinary consumer() — so it is counted, bounded by --timeout and disconnected
 * like every other client — that never joins a group or fetches for one.
 *
 * Requests: Metadata once; ListGroups once per broker; OffsetFetch, DescribeGroups and
 * DeleteGroups once per coordinator (per GROUPS_PER_REQUEST groups; OffsetFetch v8, KIP-709,
 * which kafkajs lacks, is sent by ./protocol/offset-fetch-v8.ts; brokers before Kafka 3.0 get
 * one OffsetFetch per group); ListOffsets once per partition leader for all partitions.
 * Coordinators come from the metadata already at hand (Kafka's placement rule, see
 * offsetsTopicPartitionFor), so no FindCoordinator is sent at all (batched or not) until a broker
 * says it is not the one; then that group alone is looked up. At most REQUESTS_IN_FLIGHT batched
 * requests and PER_GROUP_IN_FLIGHT per-group requests are in flight at once.
 */
import {offsetsTopicPartitionFor, RESETTABLE_GROUP_STATES, activeGroupError} from '../core/consumer-groups.js'
import type {CommittedOffset, GroupMemberAssignment} from '../core/lag.js'
import type {TopicPartitions} from '../core/offset-reset.js'
import {chunked, forEachConcurrently} from '../core/concurrency.js'
import {compareTopicPartitions, topicPartitionKey, type TopicPartition, type TopicPartitionOffset} from '../core/topic-partition.js'
import {KafkitError} from '../errors.js'
import {explainCoordinatorNotFound} from './authorization.js'
import {loadKafkaJs, type KafkaConnection} from './connection.js'
import {kafkaProtocolError, sendOffsetFetchV8, supportsOffsetFetchV8, type OffsetFetchGroupResult, type ProtocolBroker} from './protocol/offset-fetch-v8.js'

// ---------------------------------------------------------------------------------------------
// The slice of kafkajs 2.2.x internals used here (src/cluster/index.js, src/broker/index.js).

interface WirePartitionsRequest<P> {
  topic: string
  partitions: P[]
}

interface WireGroup {
  errorCode: number
  groupId: string
  state: string
  protocolType: string
  protocol: string
  members: {memberId: string; clientId: string; clientHost: string; memberAssignment: Buffer}[]
}

interface WireMessage {
  offset: string
  timestamp: string
  isControlRecord?: boolean
}

interface WireBroker extends ProtocolBroker {
  readonly nodeId: number | string
  /** `host:port` */
  readonly brokerAddress: string
  listGroups(): Promise<{groups: {groupId: string; protocolType: string}[]}>
  describeGroups(request: {groupIds: string[]}): Promise<{groups: WireGroup[]}>
  offsetFetch(request: {groupId: string; topics: WirePartitionsRequest<{partition: number}>[]}): Promise<{
    responses: WirePartitionsRequest<{partition: number; offset: string}>[]
  }>
  offsetCommit(request: {
    groupId: string
    groupGenerationId: number
    memberId: string
    topics: WirePartitionsRequest<{partition: number; offset: string}>[]
  }): Promise<unknown>
  listOffsets(request: {isolationLevel: number; topics: WirePartitionsRequest<{partition: number; timestamp: number}>[]}): Promise<{
    responses: WirePartitionsRequest<{partition: number; offset: string}>[]
  }>
  deleteGroups(groupIds: string[]): Promise<{results: {groupId: string; errorCode: number; error?: {type?: string}}[]}>
  fetch(request: {
    isolationLevel: number
    maxWaitTime: number
    minBytes: number
    maxBytes: number
    topics: WirePartitionsRequest<{partition: number; fetchOffset: string; maxBytes: number}>[]
  }): Promise<{responses: {topicName: string; partitions: {partition: number; messages: WireMessage[]}[]}[]}>
}

interface WireCluster {
  refreshMetadata(): Promise<void>
  getNodeIds(): string[]
  findBroker(request: {nodeId: string}): Promise<WireBroker>
  findGroupCoordinator(request: {groupId: string}): Promise<WireBroker>
  /** From the cached metadata; [] for a topic that does not exist. */
  findTopicPartitionMetadata(topic: string): {partitionId: number; leader: number | null}[]
}

/** kafkajs's ISOLATION_LEVEL.READ_UNCOMMITTED: log end = high watermark, as Kafka's tool reads it. */
const READ_UNCOMMITTED = 0
const LATEST_TIMESTAMP = -1
const EARLIEST_TIMESTAMP = -2
const OFFSETS_TOPIC = '__consumer_offsets'
/**
 * Time lag reads one message per lagging partition: enough for a typical batch on the first
 * round, bounded per broker request; a bigger first batch is fetched on its own afterwards.
 */
const FETCH_BYTES_PER_PARTITION = 64 * 1024
const FETCH_BYTES_PER_REQUEST = 32 * 1024 * 1024
/**
 * Groups per batched OffsetFetch / DescribeGroups: one request per coordinator up to this many
 * groups, so requests stay O(coordinators) at thousands of groups while a response stays a few
 * MB even when each group has offsets for many partitions.
 */
const GROUPS_PER_REQUEST = 2000
const REQUESTS_IN_FLIGHT = 8
/** Per-group requests (old brokers, moved coordinators): bounded, never one per group at once. */
const PER_GROUP_IN_FLIGHT = 16
/** Never sent to Kafka: the handle consumer only lends its Cluster and never joins. */
const HANDLE_GROUP_ID = 'kafkit-cluster-handle'

/** Errors after which the group's coordinator must be looked up again (it moved or is starting). */
const COORDINATOR_ERRORS = new Set(['NOT_COORDINATOR', 'NOT_COORDINATOR_FOR_GROUP', 'COORDINATOR_NOT_AVAILABLE', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS', 'GROUP_LOAD_IN_PROGRESS'])
/** Errors after which partition leaders must be looked up again. */
const LEADER_ERRORS = new Set(['NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'KafkaJSBrokerNotFound'])
/**
 * What the coordinator answers an OffsetCommit from outside the group while the group is not
 * (yet) empty: a member that just left is still being removed (the kafkajs #1219 window).
 */
const GROUP_BUSY_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', ...COORDINATOR_ERRORS])

const errorType = (error: unknown): string | undefined => (error as {type?: string})?.type ?? (error as {name?: string})?.name

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ---------------------------------------------------------------------------------------------
// What the use cases get

export interface BrokerAddress {
  readonly nodeId: number
  readonly host: string
  readonly port: number
}

export interface GroupListing {
  readonly group: string
  /** 'consumer', 'connect', ... or '' for a group that only ever had offsets committed from outside. */
  readonly protocolType: string
}

export interface GroupDescription {
  readonly group: string
  /** Kafka's state name: Stable, Empty, PreparingRebalance, CompletingRebalance or Dead. */
  readonly state: string
  readonly protocolType: string
  /** The assignor (range, roundrobin, ...); '' without members. */
  readonly protocol: string
  readonly coordinator: BrokerAddress
  /** consumerId is Kafka's member id; host is as Kafka prints it (`/10.0.0.7`). */
  readonly members: readonly GroupMemberAssignment[]
}

export type LogOffsetSpec = 'earliest' | 'latest' | {readonly timestamp: number}

export interface GroupDeletion {
  readonly group: string
  /** null when deleted. */
  readonly error: string | null
}

/** Groups, committed and log offsets, and the topic metadata they need, over one connection's borrowed Cluster. Obtain with offsetsClient(conn). */
export interface OffsetsClient {
  listGroups(): Promise<GroupListing[]>
  describeGroups(groups: readonly string[]): Promise<GroupDescription[]>
  committedOffsets(group: string, partitions?: readonly TopicPartition[]): Promise<CommittedOffset[]>
  /** Every committed offset of each group, in the order given: one OffsetFetch per coordinator. */
  committedOffsetsOfGroups(groups: readonly string[]): Promise<CommittedOffset[][]>
  topicPartitions(topics: readonly string[]): TopicPartitions[]
  logOffsets(partitions: readonly TopicPartition[], spec: LogOffsetSpec): Promise<TopicPartitionOffset[]>
  /** `action` words the refusal when the group has members ("cannot <action> group ..."). */
  commitOffsetsWhileInactive(group: string, offsets: readonly TopicPartitionOffset[], action?: string): Promise<void>
  deleteGroups(groups: readonly string[]): Promise<GroupDeletion[]>
  nextMessageTimestamps(positions: readonly TopicPartitionOffset[]): Promise<(number | null)[]>
}

const clients = new WeakMap<KafkaConnection, Promise<OffsetsClient>>()

/** The connection's offsets client, created on first use (one Metadata request). */
export function offsetsClient(conn: KafkaConnection): Promise<OffsetsClient> {
  let client = clients.get(conn)
  if (!client) {
    client = conn.run('connect', async () => new WireOffsetsClient(conn, await connectionCluster(conn)))
    clients.set(conn, client)
  }
  return client
}

const clusters = new WeakMap<KafkaConnection, Promise<WireCluster>>()

/** The connection's borrowed kafkajs Cluster (one per connection): the offsets client's, also lent to ./admin-extra.ts. */
export function connectionCluster(conn: KafkaConnection): Promise<WireCluster> {
  let cluster = clusters.get(conn)
  if (!cluster) {
    cluster = borrowCluster(conn)
    clusters.set(conn, cluster)
  }
  return cluster
}

/**
 * kafkajs creates one Cluster per client through a private factory on the Kafka object; wrapping
 * it for the duration of one consumer() call hands us that consumer's Cluster. The consumer is
 * created READ_UNCOMMITTED, which also tells its Cluster apart from any other client's.
 */
async function borrowCluster(conn: KafkaConnection): Promise<WireCluster> {
  const kafka = (await conn.kafka()) as unknown as Record<symbol, (options: {isolationLevel?: number}) => WireCluster>
  const factory = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')
  if (factory === undefined || typeof kafka[factory] !== 'function') {
    throw new KafkitError('this kafkajs version hides its Cluster client; kafkit groups needs kafkajs 2.2.x', {code: 'UNSUPPORTED_KAFKAJS'})
  }
  const create = kafka[factory]
  let borrowed: WireCluster | undefined
  kafka[factory] = (options) => {
    const cluster = create(options)
    if (options.isolationLevel === READ_UNCOMMITTED) borrowed ??= cluster
    return cluster
  }
  try {
    await conn.consumer({groupId: HANDLE_GROUP_ID, readUncommitted: true})
  } finally {
    kafka[factory] = create
  }
  if (borrowed === undefined) throw new Error('kafkajs did not create a Cluster for the consumer')
  // Without topics kafkajs asks for all of them: brokers, leaders and __consumer_offsets at once.
  await borrowed.refreshMetadata()
  return borrowed
}

class WireOffsetsClient implements OffsetsClient {
  private readonly coordinators = new Map<string, Promise<WireBroker>>()

  constructor(
    private readonly conn: KafkaConnection,
    private readonly cluster: WireCluster,
  ) {}

  async listGroups(): Promise<GroupListing[]> {
    return this.conn.run('list groups', async () => {
      const brokers = await Promise.all(this.cluster.getNodeIds().map((nodeId) => this.cluster.findBroker({nodeId})))
      const answers = await Promise.all(brokers.map((broker) => broker.listGroups()))
      const byName = new Map<string, GroupListing>()
      for (const {groups} of answers) for (const g of groups) byName.set(g.groupId, {group: g.groupId, protocolType: g.protocolType})
      return [...byName.values()].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
    })
  }

  async describeGroups(groups: readonly string[]): Promise<GroupDescription[]> {
    if (groups.length === 0) return []
    const {AssignerProtocol} = await loadKafkaJs()
    const toDescription = (wire: WireGroup, coordinator: WireBroker): GroupDescription => ({
      group: wire.groupId,
      state: wire.state,
      protocolType: wire.protocolType,
      protocol: wire.protocol,
      coordinator: brokerAddress(coordinator),
      members: wire.members.map((m) => ({
        consumerId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: wire.protocolType === 'consumer' ? decodeAssignment(AssignerProtocol, m.memberAssignment) : [],
      })),
    })
    return this.conn.run('describe groups', async () => {
      const described = new Map<string, GroupDescription>()
      const unique = [...new Set(groups)]
      // One DescribeGroups per coordinator. kafkajs fails the whole batch on the first group's
      // error, so a batch that hit a coordinator change is redone group by group.
      const redo: string[] = []
      await forEachConcurrently(await this.byCoordinator(unique), REQUESTS_IN_FLIGHT, async ({broker, groups: batch}) => {
        try {
          const {groups: wire} = await broker.describeGroups({groupIds: batch})
          for (const g of wire) described.set(g.groupId, toDescription(g, broker))
        } catch (error) {
          if (!COORDINATOR_ERRORS.has(errorType(error) ?? '')) throw error
          redo.push(...batch)
        }
      })
      await forEachConcurrently(redo, PER_GROUP_IN_FLIGHT, (group) =>
        this.withCoordinator(group, async (coordinator) => {
          const {groups: wire} = await coordinator.describeGroups({groupIds: [group]})
          for (const g of wire) described.set(g.groupId, toDescription(g, coordinator))
        }),
      )
      return unique.map((group) => described.get(group)!)
    })
  }

  async committedOffsets(group: string, partitions?: readonly TopicPartition[]): Promise<CommittedOffset[]> {
    // Without partitions Kafka returns every partition the group has an offset for.
    const topics = partitions === undefined ? [] : groupByTopic(partitions).map(([topic, ps]) => ({topic, partitions: ps.map((partition) => ({partition}))}))
    return this.conn.run(`fetch offsets of group ${group}`, () =>
      this.withCoordinator(group, async (coordinator) => {
        const {responses} = await coordinator.offsetFetch({groupId: group, topics})
        return committedFromWire(responses)
      }),
    )
  }

  /**
   * One OffsetFetch v8 per coordinator for up to GROUPS_PER_REQUEST groups. Groups whose
   * coordinator moved meanwhile, and every group on a broker older than Kafka 3.0, are fetched
   * one by one (bounded) as committedOffsets does.
   */
  async committedOffsetsOfGroups(groups: readonly string[]): Promise<CommittedOffset[][]> {
    const found = new Map<string, CommittedOffset[]>()
    const moved = new Set<string>()
    await this.conn.run('fetch offsets of groups', async () =>
      forEachConcurrently(await this.byCoordinator([...new Set(groups)]), REQUESTS_IN_FLIGHT, async ({broker, groups: batch}) => {
        if (!supportsOffsetFetchV8(broker)) return
        const {groups: answers} = await sendOffsetFetchV8(
          broker,
          batch.map((groupId) => ({groupId, topics: null})),
        )
        for (const answer of answers) {
          if (answer.errorCode === 0) {
            found.set(answer.groupId, committedFromV8(answer))
            continue
          }
          const error = kafkaProtocolError(answer.errorCode)
          // A group the coordinator does not know has no offsets, as v1-v4 answer it.
          if (error.type === 'GROUP_ID_NOT_FOUND') found.set(answer.groupId, [])
          else if (COORDINATOR_ERRORS.has(error.type)) moved.add(answer.groupId)
          else throw error
        }
      }),
    )
    // The rest (old brokers, moved coordinators, any group left out of an answer) one by one.
    const missing = new Set(groups.filter((g) => !found.has(g)))
    await forEachConcurrently([...missing], PER_GROUP_IN_FLIGHT, async (group) => {
      // A moved coordinator is looked up with FindCoordinator: the metadata guess just failed.
      if (moved.has(group)) await this.coordinatorOf(group, {ask: true}).catch(() => undefined)
      found.set(group, await this.committedOffsets(group))
    })
    return groups.map((group) => found.get(group)!)
  }

  topicPartitions(topics: readonly string[]): TopicPartitions[] {
    return [...new Set(topics)].flatMap((topic) => {
      const partitions = this.cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId)
      return partitions.length === 0 ? [] : [{topic, partitions: partitions.sort((a, b) => a - b)}]
    })
  }

  /**
   * One ListOffsets per partition leader for all the partitions. Partitions whose topic is gone
   * or that have no leader are left out (their offset is unknown); for a timestamp, so are the
   * partitions without a message at or after it (the broker answers -1; kafkajs's
   * fetchTopicOffsetsByTimestamp would silently substitute the log end).
   */
  async logOffsets(partitions: readonly TopicPartition[], spec: LogOffsetSpec): Promise<TopicPartitionOffset[]> {
    if (partitions.length === 0) return []
    const timestamp = spec === 'earliest' ? EARLIEST_TIMESTAMP : spec === 'latest' ? LATEST_TIMESTAMP : spec.timestamp
    return this.conn.run('list offsets', () =>
      this.withLeaders(partitions, async (broker, topics) => {
        const {responses} = await broker.listOffsets({
          isolationLevel: READ_UNCOMMITTED,
          topics: topics.map(([topic, ps]) => ({topic, partitions: ps.map((partition) => ({partition, timestamp}))})),
        })
        return responses.flatMap(({topic, partitions: ps}) =>
          ps.flatMap((p) => (Number(p.offset) >= 0 ? [{topic, partition: p.partition, offset: Number(p.offset)}] : [])),
        )
      }),
    )
  }

  /**
   * Commits offsets the way kafka-consumer-groups.sh does: one OffsetCommit, generation -1, no
   * member id. The coordinator accepts that only while the group has no members, so a group with
   * members is refused up front with their names. Right after the last member leaves, the group
   * can still be rebalancing and the commit bounces; that is retried with backoff until --timeout.
   */
  async commitOffsetsWhileInactive(group: string, offsets: readonly TopicPartitionOffset[], action = 'reset offsets of'): Promise<void> {
    if (offsets.length === 0) return
    const offsetOf = new Map(offsets.map((o) => [topicPartitionKey(o), o.offset]))
    const topics = groupByTopic(offsets).map(([topic, ps]) => ({
      topic,
      partitions: ps.map((partition) => ({partition, offset: String(offsetOf.get(topicPartitionKey({topic, partition})))})),
    }))
    const giveUpAt = Date.now() + this.conn.timeoutMs
    let backoff = 100
    let lastBounce = ''
    for (;;) {
      const [description] = await this.describeGroups([group])
      if (description.members.length > 0) throw activeGroupError(group, description.members, action)
      if (RESETTABLE_GROUP_STATES.includes(description.state)) {
        try {
          await this.conn.run(`commit offsets of group ${group}`, () =>
            this.withCoordinator(group, (coordinator) => coordinator.offsetCommit({groupId: group, groupGenerationId: -1, memberId: '', topics})),
          )
          return
        } catch (error) {
          // conn.run has turned the kafkajs error into a KafkitError whose code is Kafka's error name.
          const code = error instanceof KafkitError ? error.code : (errorType(error) ?? '')
          if (!GROUP_BUSY_ERRORS.has(code)) throw error
          lastBounce = `the coordinator answers ${code}`
        }
      } else {
        lastBounce = `it is ${description.state} without members`
      }
      if (Date.now() + backoff >= giveUpAt) {
        throw new KafkitError(`group "${group}" did not become inactive within ${this.conn.timeoutMs / 1000}s (${lastBounce}); nothing was committed`, {
          code: 'GROUP_NOT_INACTIVE',
          hint: 'members using the KIP-848 consumer protocol are invisible to kafkit; stop every consumer of the group, or raise --timeout',
        })
      }
      await sleep(backoff)
      backoff = Math.min(backoff * 2, 1000)
    }
  }

  /** One DeleteGroups per coordinator; each group's outcome separately (Kafka answers per group). */
  async deleteGroups(groups: readonly string[]): Promise<GroupDeletion[]> {
    const outcome = new Map<string, string | null>()
    await this.conn.run('delete groups', async () => {
      for (const {broker, groups: batch} of await this.byCoordinator([...new Set(groups)])) {
        const {results} = await broker.deleteGroups(batch)
        for (const r of results) outcome.set(r.groupId, r.errorCode === 0 ? null : (r.error?.type ?? `error ${r.errorCode}`))
      }
    })
    // A coordinator that moved answers NOT_COORDINATOR for its groups: ask again by FindCoordinator.
    const moved = groups.filter((g) => COORDINATOR_ERRORS.has(outcome.get(g) ?? ''))
    if (moved.length > 0) {
      await this.conn.run('delete groups', () =>
        forEachConcurrently(moved, PER_GROUP_IN_FLIGHT, (group) =>
          this.withCoordinator(group, async (coordinator) => {
            const {results} = await coordinator.deleteGroups([group])
            outcome.set(group, results[0]?.errorCode === 0 ? null : (results[0]?.error?.type ?? 'unknown error'))
          }),
        ),
      )
    }
    return [...new Set(groups)].map((group) => ({group, error: outcome.get(group) ?? null}))
  }

  /**
   * The timestamp of the message at each position (for time lag), in the order given: one Fetch
   * per leader for all partitions, a bounded amount per partition. A partition whose first batch
   * did not fit is fetched again on its own, where Kafka always returns at least one whole batch.
   * Positions on the same partition (groups at different offsets) go in separate rounds, since a
   * Fetch names each partition once. null where the message cannot be read (deleted by retention,
   * compressed with a codec kafkajs lacks, no leader).
   */
  async nextMessageTimestamps(positions: readonly TopicPartitionOffset[]): Promise<(number | null)[]> {
    const found = new Map<string, number | null>()
    const positionKey = (p: TopicPartitionOffset) => `${topicPartitionKey(p)}@${p.offset}`
    const read = async (round: readonly TopicPartitionOffset[], maxBytesPerPartition: number) => {
      const offsetOf = new Map(round.map((p) => [topicPartitionKey(p), p.offset]))
      try {
        await this.conn.run('fetch next messages', () =>
          this.withLeaders(round, async (broker, topics) => {
            const {responses} = await broker.fetch({
              isolationLevel: READ_UNCOMMITTED,
              maxWaitTime: 0,
              minBytes: 1,
              maxBytes: FETCH_BYTES_PER_REQUEST,
              topics: topics.map(([topic, ps]) => ({
                topic,
                partitions: ps.map((partition) => ({partition, fetchOffset: String(offsetOf.get(topicPartitionKey({topic, partition}))), maxBytes: maxBytesPerPartition})),
              })),
            })
            for (const {topicName, partitions} of responses) {
              for (const p of partitions) {
                const offset = offsetOf.get(topicPartitionKey({topic: topicName, partition: p.partition})) ?? 0
                // A batch starts before the requested offset when the offset is in its middle.
                const message = p.messages.find((m) => !m.isControlRecord && Number(m.offset) >= offset)
                if (message) found.set(positionKey({topic: topicName, partition: p.partition, offset}), Number(message.timestamp))
              }
            }
            return []
          }),
        )
      } catch (error) {
        // Time lag is an extra column: an unreadable message leaves its cell empty; only the
        // --timeout bound fails the command.
        if (error instanceof KafkitError && error.code === 'TIMEOUT') throw error
      }
    }

    const distinct = [...new Map(positions.map((p) => [positionKey(p), p])).values()]
    const rounds: TopicPartitionOffset[][] = []
    const roundsOfPartition = new Map<string, number>()
    for (const p of distinct) {
      const k = roundsOfPartition.get(topicPartitionKey(p)) ?? 0
      roundsOfPartition.set(topicPartitionKey(p), k + 1)
      ;(rounds[k] ??= []).push(p)
    }
    await Promise.all(rounds.map((round) => read(round, FETCH_BYTES_PER_PARTITION)))
    // Alone in a request, a partition always gets its first batch, whatever its size.
    const unread = distinct.filter((p) => !found.has(positionKey(p)))
    await Promise.all(unread.map((p) => read([p], 1)))
    return positions.map((p) => found.get(positionKey(p)) ?? null)
  }

  // -------------------------------------------------------------------------------------------

  /** FindCoordinator; a refusal by the authorizer named as GROUP_AUTHORIZATION_FAILED (kafkajs drops the reason). */
  private findCoordinator(group: string): Promise<WireBroker> {
    return this.cluster.findGroupCoordinator({groupId: group}).catch(async (error: unknown) => {
      throw await explainCoordinatorNotFound(this.conn, group, error)
    })
  }

  /** The coordinator of a group: guessed from metadata first, FindCoordinator when told to. */
  private coordinatorOf(group: string, opts: {ask?: boolean; offsetsPartitions?: OffsetsTopicPartitions} = {}): Promise<WireBroker> {
    if (opts.ask) this.coordinators.delete(group)
    let coordinator = this.coordinators.get(group)
    if (!coordinator) {
      coordinator = opts.ask ? this.findCoordinator(group) : this.placeGroup(group, opts.offsetsPartitions ?? this.offsetsTopicPartitions())
      this.coordinators.set(group, coordinator)
      coordinator.catch(() => this.coordinators.delete(group))
    }
    return coordinator
  }

  /**
   * The leaders of __consumer_offsets by partition, read once for many groups (kafkajs looks
   * topics up linearly), and their brokers, each looked up once (kafkajs's findBroker takes a
   * lock per call).
   */
  private offsetsTopicPartitions(): OffsetsTopicPartitions {
    const partitions = this.cluster.findTopicPartitionMetadata(OFFSETS_TOPIC)
    return {count: partitions.length, leaders: new Map(partitions.map((p) => [p.partitionId, p.leader])), brokers: new Map()}
  }

  private placeGroup(group: string, partitions: OffsetsTopicPartitions): Promise<WireBroker> {
    const leader = partitions.count > 0 ? partitions.leaders.get(offsetsTopicPartitionFor(group, partitions.count)) : undefined
    // No __consumer_offsets yet (a fresh cluster): FindCoordinator also creates it.
    if (leader === undefined || leader === null || leader < 0) return this.findCoordinator(group)
    let broker = partitions.brokers.get(leader)
    if (!broker) {
      broker = this.cluster.findBroker({nodeId: String(leader)})
      partitions.brokers.set(leader, broker)
    }
    return broker
  }

  /** Runs fn against the group's coordinator, asking for it again (with a pause) when it moved or loads. */
  private async withCoordinator<T>(group: string, fn: (coordinator: WireBroker) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(await this.coordinatorOf(group, {ask: attempt > 1}))
      } catch (error) {
        if (attempt >= 5 || !COORDINATOR_ERRORS.has(errorType(error) ?? '')) throw error
        await sleep(100 * attempt)
      }
    }
  }

  /** The groups by coordinator, in batches of at most GROUPS_PER_REQUEST. */
  private async byCoordinator(groups: readonly string[]): Promise<{broker: WireBroker; groups: string[]}[]> {
    const offsetsPartitions = this.offsetsTopicPartitions()
    const coordinators = await Promise.all(groups.map((group) => this.coordinatorOf(group, {offsetsPartitions})))
    const byNode = new Map<string, {broker: WireBroker; groups: string[]}>()
    coordinators.forEach((broker, i) => {
      const batch = byNode.get(String(broker.nodeId)) ?? {broker, groups: []}
      batch.groups.push(groups[i])
      byNode.set(String(broker.nodeId), batch)
    })
    return [...byNode.values()].flatMap(({broker, groups: all}) => chunked(all, GROUPS_PER_REQUEST).map((batch) => ({broker, groups: batch})))
  }

  /**
   * Sends one request per partition leader covering all its partitions (skipping partitions
   * without a known leader), refreshing metadata and retrying when leadership moved.
   */
  private async withLeaders<T>(partitions: readonly TopicPartition[], send: (broker: WireBroker, topics: [string, number[]][]) => Promise<T[]>): Promise<T[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const byLeader = new Map<number, TopicPartition[]>()
        // Leaders by topic, looked up once per topic: linear in the partitions asked for.
        const leadersOf = new Map<string, Map<number, number | null>>()
        for (const tp of partitions) {
          let leaders = leadersOf.get(tp.topic)
          if (!leaders) {
            leaders = new Map(this.cluster.findTopicPartitionMetadata(tp.topic).map((p) => [p.partitionId, p.leader]))
            leadersOf.set(tp.topic, leaders)
          }
          const leader = leaders.get(tp.partition)
          if (leader === undefined || leader === null || leader < 0) continue
          const list = byLeader.get(leader)
          if (list) list.push(tp)
          else byLeader.set(leader, [tp])
        }
        const answers = await Promise.all(
          [...byLeader].map(async ([leader, tps]) => send(await this.cluster.findBroker({nodeId: String(leader)}), groupByTopic(tps))),
        )
        return answers.flat()
      } catch (error) {
        if (attempt >= 3 || !LEADER_ERRORS.has(errorType(error) ?? '')) throw error
        await sleep(200 * attempt)
        await this.cluster.refreshMetadata()
      }
    }
  }
}

function brokerAddress(broker: WireBroker): BrokerAddress {
  const i = broker.brokerAddress.lastIndexOf(':')
  return {nodeId: Number(broker.nodeId), host: broker.brokerAddress.slice(0, i), port: Number(broker.brokerAddress.slice(i + 1))}
}

/** A consumer-protocol assignment; [] when empty (mid-rebalance) or not in that format. */
function decodeAssignment(protocol: typeof import('kafkajs').AssignerProtocol, buffer: Buffer): TopicPartition[] {
  try {
    const decoded = protocol.MemberAssignment.decode(buffer)
    if (!decoded) return []
    return Object.entries(decoded.assignment)
      .flatMap(([topic, partitions]) => partitions.map((partition) => ({topic, partition})))
      .sort(compareTopicPartitions)
  } catch {
    return []
  }
}

function groupByTopic(partitions: readonly TopicPartition[]): [string, number[]][] {
  const byTopic = new Map<string, number[]>()
  for (const tp of partitions) {
    const list = byTopic.get(tp.topic)
    if (list) list.push(tp.partition)
    else byTopic.set(tp.topic, [tp.partition])
  }
  return [...byTopic].map(([topic, ps]) => [topic, [...new Set(ps)].sort((a, b) => a - b)])
}

interface OffsetsTopicPartitions {
  readonly count: number
  readonly leaders: ReadonlyMap<number, number | null>
  readonly brokers: Map<number, Promise<WireBroker>>
}

/** kafkajs's OffsetFetch answer as committed offsets ("-1": none), in topic-partition order. */
function committedFromWire(responses: WirePartitionsRequest<{partition: number; offset: string}>[]): CommittedOffset[] {
  return responses
    .flatMap(({topic, partitions}) =>
      partitions.map((p): CommittedOffset => {
        const offset = Number(p.offset)
        return {topic, partition: p.partition, offset: offset >= 0 ? offset : null}
      }),
    )
    .sort(compareTopicPartitions)
}

/** The same from one group of an OffsetFetch v8 answer; a partition error throws as kafkajs's parser does. */
function committedFromV8(answer: OffsetFetchGroupResult): CommittedOffset[] {
  return answer.topics
    .flatMap(({topic, partitions}) =>
      partitions.map((p): CommittedOffset => {
        if (p.errorCode !== 0) throw kafkaProtocolError(p.errorCode)
        return {topic, partition: p.partition, offset: p.offset >= 0 ? p.offset : null}
      }),
    )
    .sort(compareTopicPartitions)
}
