/**
 * The KafkaClient port: every Kafka operation the use cases in src/app perform, in one interface.
 * src/kafka/client.ts implements it over kafkajs (and the protocol module for the admin APIs
 * kafkajs lacks); unit tests of the use cases implement it in memory (test/unit/app/fake-kafka.ts).
 * Commands get one from KafkaCommand.connection() and hand it to a use case; they never call it.
 *
 * Each method is batched on the adapter's side (one request per broker, coordinator or chunk,
 * never one per topic or group) and bounded by the connection's --timeout. Errors are KafkitErrors
 * with kafkit's wording; per-item failures come back as data (TopicFailure, error fields).
 */
import type {LiveClusterState, LiveTopic} from '../core/cluster-state.js'
import type {ConsumedRecord, ProducerMessage} from '../core/record.js'
import type {OutgoingMessage} from '../core/dlq-replay.js'
import type {CommittedOffset} from '../core/lag.js'
import type {TopicPartitions} from '../core/offset-reset.js'
import type {TopicPartition, TopicPartitionOffset} from '../core/topic-partition.js'
import type {ConfigResourceDescription, ConfigResourceRef} from '../core/config-changes.js'
import type {
  AdminExtra,
  ClientQuota,
  ConfigChangeResult,
  ConfigKeyChanges,
  PartitionRef,
  PartitionResult,
  QuotaChange,
  QuotaChangeResult,
  QuotaFilterComponent,
  ScramCredentialChanges,
  ScramUser,
  ScramUserResult,
  ElectionType,
} from '../kafka/admin-extra.js'
import type {Compression, ConsoleConsumerOptions, ConsoleProducer, RunningConsumer} from '../kafka/console.js'
import type {BatchHandler, DlqPartition, ReadRange, ReplayWriter} from '../kafka/dlq.js'
import type {BrokerAddress, GroupDeletion, GroupDescription, GroupListing, LogOffsetSpec} from '../kafka/groups.js'
import type {
  PartitionsToAdd,
  ReassignmentProgress,
  StepProgress,
  TopicConfigChanges,
  TopicFailure,
  TopicReassignment,
  TopicToCreate,
} from '../kafka/topic-changes.js'
import type {ClusterDescription, DescribeTopicsOptions} from '../kafka/topics.js'
import type {BrokerConfigOverrides, PartitionTarget, PartitionTargetResult, ReassignmentInProgress, ReplicaSizes} from '../kafka/reassignments.js'
import type {RecordsDeletion} from '../kafka/records.js'
import type {AclBinding, AclFilter} from '../core/acls.js'

export type {
  BatchHandler,
  BrokerAddress,
  ClientQuota,
  ClusterDescription,
  Compression,
  ConfigChangeResult,
  ConfigKeyChanges,
  ConsoleConsumerOptions,
  ConsoleProducer,
  DescribeTopicsOptions,
  DlqPartition,
  ElectionType,
  GroupDeletion,
  GroupDescription,
  GroupListing,
  LogOffsetSpec,
  PartitionRef,
  PartitionResult,
  PartitionsToAdd,
  QuotaChange,
  QuotaChangeResult,
  QuotaFilterComponent,
  ReadRange,
  ReassignmentProgress,
  ReplayWriter,
  RunningConsumer,
  ScramCredentialChanges,
  ScramUser,
  ScramUserResult,
  StepProgress,
  TopicConfigChanges,
  TopicFailure,
  TopicReassignment,
  TopicToCreate,
}
export type {RecordsDeletion}

export interface KafkaClient extends AdminExtra {
  /** The bootstrap servers as the user gave them: for messages ("... on 127.0.0.1:9092"). */
  readonly brokersLabel: string
  /** The connection's --timeout: how long one step may wait for the cluster. */
  readonly timeoutMs: number

  // -- cluster and topics ------------------------------------------------------------------
  /** Cluster id, controller and brokers (with racks unless `racks: false`). */
  describeCluster(opts?: {racks?: boolean}): Promise<ClusterDescription>
  /** Partitions and configs of many topics: one Metadata and one DescribeConfigs per 1,000 topics. */
  describeTopics(opts?: DescribeTopicsOptions): Promise<LiveTopic[]>
  /** Brokers and every topic with the configs of those `configsFor` accepts: what plan compares. */
  readClusterState(opts?: Pick<DescribeTopicsOptions, 'configsFor' | 'defaultConfigsFor'>): Promise<LiveClusterState>
  /** Which of these topics exist. */
  existingTopics(topics: readonly string[]): Promise<Set<string>>
  /** The partitions of each existing topic among these (unknown topics are left out). */
  topicPartitions(topics: readonly string[]): Promise<TopicPartitions[]>
  /** One topic, waiting for its leaders; an existing topic is TOPIC_ALREADY_EXISTS. */
  createTopic(topic: TopicToCreate): Promise<void>
  /** Many topics in one DeleteTopics request. */
  deleteTopics(names: string[]): Promise<void>

  // -- configs of topics and brokers (kafkit configs) ---------------------------------------
  /**
   * Every config entry (or only `keys`) of each resource with source, read-only/sensitive flags,
   * type and synonyms; errors per resource (a broker id not in the cluster: BROKER_NOT_FOUND).
   * Sensitive values never leave the adapter. One request per broker asked.
   */
  describeConfigs(resources: readonly ConfigResourceRef[], opts?: {keys?: readonly string[]}): Promise<ConfigResourceDescription[]>

  // -- topic changes of `topics apply`: each names its failures per topic and never throws for one
  createTopics(topics: TopicToCreate[], opts?: {onProgress?: StepProgress}): Promise<TopicFailure[]>
  addPartitions(items: PartitionsToAdd[]): Promise<TopicFailure[]>
  /** Sets and deletes only the keys given (IncrementalAlterConfigs): other overrides stay. */
  alterTopicConfigs(items: TopicConfigChanges[]): Promise<TopicFailure[]>
  reassignPartitions(items: TopicReassignment[]): Promise<TopicFailure[]>
  /** Until none of `topics` is moving or `timeoutMs` passes; the topics still moving. */
  waitForReassignments(topics: string[], opts: {timeoutMs: number; pollMs?: number; total?: number; onProgress?: (p: ReassignmentProgress) => void}): Promise<TopicFailure[]>
  deleteTopicsReportingFailures(names: string[]): Promise<TopicFailure[]>

  // -- groups and offsets ------------------------------------------------------------------
  listGroups(): Promise<GroupListing[]>
  describeGroups(groups: readonly string[]): Promise<GroupDescription[]>
  /** The group's committed offsets (of these partitions, or all). */
  committedOffsets(group: string, partitions?: readonly TopicPartition[]): Promise<CommittedOffset[]>
  /** Every committed offset of each group, in the order given: one OffsetFetch per coordinator. */
  committedOffsetsOfGroups(groups: readonly string[]): Promise<CommittedOffset[][]>
  /** Log start / end / first offset at a time, per partition: one ListOffsets per leader. */
  logOffsets(partitions: readonly TopicPartition[], spec: LogOffsetSpec): Promise<TopicPartitionOffset[]>
  /** Commits offsets for a group that has no members; `action` words the refusal otherwise. */
  commitOffsetsWhileInactive(group: string, offsets: readonly TopicPartitionOffset[], action?: string): Promise<void>
  deleteGroups(groups: readonly string[]): Promise<GroupDeletion[]>
  /** The timestamp of the record at each position (null at the end of the log). */
  nextMessageTimestamps(positions: readonly TopicPartitionOffset[]): Promise<(number | null)[]>

  // -- records -----------------------------------------------------------------------------
  /** An idempotent acks=all producer; send one batch at a time. */
  openConsoleProducer(opts: {compression: Compression}): Promise<ConsoleProducer>
  startConsoleConsumer(opts: ConsoleConsumerOptions): Promise<RunningConsumer>
  /** A DLQ's partitions with their log start and end. */
  dlqPartitions(topic: string): Promise<DlqPartition[]>
  /** Reads each range to its end (read_committed) through `groupId`, handing batches over in order. */
  readToEnd(options: {topic: string; groupId: string; ranges: readonly ReadRange[]; handle: BatchHandler}): Promise<void>
  /** The transactional writer of a replay (fences an earlier run with the same id). */
  openReplayWriter(options: {transactionalId: string; groupId: string; dlqTopic: string}): Promise<ReplayWriter>

  // -- partition reassignment (topics reassign) --------------------------------------------
  /** Reassignments in progress, with their adding and removing replicas (of these topics, or all). */
  listReassignments(topics?: readonly string[]): Promise<ReassignmentInProgress[]>
  /** Starts (replicas) or cancels (replicas null) reassignments: one request, an answer per partition. */
  alterReassignments(targets: readonly PartitionTarget[]): Promise<PartitionTargetResult[]>
  /** Size of each replica of these partitions on these brokers (DescribeLogDirs, one per broker); brokers that cannot say are listed. */
  replicaSizes(brokers: readonly number[], partitions: readonly TopicPartition[]): Promise<ReplicaSizes>
  /** Each broker's own dynamic values of these configs (not the cluster-wide default). */
  brokerConfigOverrides(brokers: readonly number[], names: readonly string[]): Promise<BrokerConfigOverrides[]>

  // -- records: delete (topics truncate) ----------------------------------------------------
  /** DeleteRecords: every record before each offset goes (it becomes the log start); one request per leader, per-partition results. */
  deleteRecords(items: readonly TopicPartitionOffset[]): Promise<RecordsDeletion[]>

  // -- ACLs (kafkit acls) -------------------------------------------------------------------
  /** Every ACL matching the filter: one DescribeAcls request. */
  describeAcls(filter: AclFilter): Promise<AclBinding[]>
  /** One CreateAcls request for all of them. */
  createAcls(bindings: readonly AclBinding[]): Promise<void>
  /** Exactly these bindings (each an exact filter), one DeleteAcls request; the ones the broker deleted. */
  deleteAcls(bindings: readonly AclBinding[]): Promise<AclBinding[]>
}

export type {ConsumedRecord, OutgoingMessage, ProducerMessage}
export type {BrokerConfigOverrides, PartitionTarget, PartitionTargetResult, ReassignmentInProgress, ReplicaSizes}
