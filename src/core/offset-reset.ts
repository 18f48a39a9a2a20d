/**
 * Offset-reset arithmetic for `kafkit groups reset-offsets`, mirroring Kafka's
 * `kafka-consumer-groups.sh --reset-offsets` (GroupOffsetsResetter / ConsumerGroupCommand):
 *
 * - --to-earliest / --to-latest: the log start / log end (high watermark), no clamping needed.
 * - --to-offset N, --shift-by N, --from-file: the requested offset is clamped to
 *   [log start, log end] like Kafka's `checkOffsetsRange`: past the end → log end, before the
 *   start → log start (the end is checked first, which only matters for inconsistent input,
 *   and that is rejected here).
 * - --shift-by on a partition with no committed offset: Kafka refuses the whole reset
 *   ("Cannot shift offset for partition … since there is no current committed offset"). We do
 *   the same, naming every such partition at once. Shifting from the group's reset position was
 *   considered and rejected: that position depends on the consumer's auto.offset.reset (latest
 *   by default in Java and kafkajs), which a CLI cannot know, so any base would be a guess.
 * - --to-datetime / --by-duration: the offset of the first message with timestamp ≥ the time,
 *   as ListOffsets-by-timestamp returns it (the caller asks the broker; `offsetForTime`). When
 *   no such message exists, Kafka falls back to the log end ("Falling back to latest known
 *   offset"); so do we, and the row says so (`clamped: 'latest'` with the reason).
 *   Kafka does not range-check timestamp offsets; we pass them through the same clamp, which
 *   is a no-op for offsets the broker returned and only guards against a stale snapshot.
 * - --to-group OTHER (kafkit's own): OTHER's committed offset of each partition in scope, clamped
 *   like --to-offset; a partition in scope where OTHER has no committed offset is refused (all
 *   named at once), as --shift-by without a committed offset is: there is nothing to copy.
 * - --from-file: only the partitions in the file are planned; scope partitions not in the file
 *   are left out. A file line naming a partition outside the scope is an error (with file:line)
 *   rather than silently skipped, because a dropped line of an undo file goes unnoticed.
 *
 * Pure: the caller gathers committed offsets, log start/end and offsets-for-time first.
 */
import {KafkitError} from '../errors.js'
import {formatDuration} from './units.js'
import {
  compareTopicPartitions,
  describePartitionNumbers,
  formatTopicPartition,
  isValidTopicName,
  parseNonNegativeInteger,
  topicPartitionKey,
  type TopicPartition,
  type TopicPartitionOffset,
} from './topic-partition.js'

/** What is known about one partition in the reset scope before the reset. */
export interface PartitionResetState extends TopicPartition {
  /** The group's committed offset; null when the group never committed one for this partition. */
  readonly committed: number | null
  /** Log start offset (ListOffsets EARLIEST). */
  readonly earliest: number
  /** Log end offset / high watermark (ListOffsets LATEST). */
  readonly latest: number
  /** ListOffsets by timestamp, for datetime/duration: null/undefined when no message is at or after the time. */
  readonly offsetForTime?: number | null
}

/** A --from-file line; `location` (`file:line`) makes scope errors point at the line. */
export type OffsetResetFileEntry = TopicPartitionOffset & {readonly location?: string}

export type OffsetResetStrategy =
  | {readonly kind: 'earliest'}
  | {readonly kind: 'latest'}
  | {readonly kind: 'offset'; readonly offset: number}
  | {readonly kind: 'shift'; readonly by: number}
  | {readonly kind: 'datetime'; readonly timestamp: number}
  | {readonly kind: 'duration'; readonly ms: number}
  | {readonly kind: 'file'; readonly offsets: readonly OffsetResetFileEntry[]}
  /** Copy another group's committed offsets (`offsets`: that group's, as read before planning). */
  | {readonly kind: 'group'; readonly group: string; readonly offsets: readonly TopicPartitionOffset[]}

export interface OffsetResetInput {
  readonly partitions: readonly PartitionResetState[]
  readonly strategy: OffsetResetStrategy
}

export type ClampedTo = 'earliest' | 'latest'

export interface OffsetResetRow extends TopicPartition {
  /** Committed offset before the reset; null when there was none. */
  readonly current: number | null
  readonly new: number
  /** new - current; null when there was no current offset. */
  readonly delta: number | null
  /** Which log boundary the requested offset was moved to, if any. */
  readonly clamped: ClampedTo | null
  /** Why it was clamped, for the plan table; null when not clamped. */
  readonly reason: string | null
}

export interface OffsetResetSummary {
  readonly partitions: number
  /** Rows whose new offset differs from the current one (a row without a current offset counts). */
  readonly changed: number
  /** Sum of the deltas of rows that had a current offset; negative means re-consuming. */
  readonly totalDelta: number
  readonly clamped: number
}

export interface OffsetResetPlan {
  readonly strategy: OffsetResetStrategy
  /** In topic, partition order. */
  readonly rows: readonly OffsetResetRow[]
  readonly summary: OffsetResetSummary
}

interface Target {
  readonly offset: number
  readonly clamped: ClampedTo | null
  readonly reason: string | null
}

export function planOffsetReset(input: OffsetResetInput): OffsetResetPlan {
  const {strategy} = input
  checkStrategy(strategy)
  const stateByPartition = indexPartitions(input.partitions)

  const rows =
    strategy.kind === 'file'
      ? planFromFile(strategy.offsets, stateByPartition)
      : planForScope(input.partitions, strategy)
  rows.sort(compareTopicPartitions)
  return {strategy, rows, summary: summarize(rows)}
}

/** The committed offsets before the reset, for `--export`: what `--from-file` needs to undo it. */
export function offsetsBeforeReset(plan: OffsetResetPlan): TopicPartitionOffset[] {
  // A partition without a committed offset cannot be written as a line; restoring "no offset"
  // would take DeleteOffsets, which a topic,partition,offset file cannot express.
  return plan.rows.flatMap((row) =>
    row.current === null ? [] : [{topic: row.topic, partition: row.partition, offset: row.current}],
  )
}

/** The offsets to commit when the plan is executed. */
export function offsetsAfterReset(plan: OffsetResetPlan): TopicPartitionOffset[] {
  return plan.rows.map((row) => ({topic: row.topic, partition: row.partition, offset: row.new}))
}

function planForScope(
  partitions: readonly PartitionResetState[],
  strategy: Exclude<OffsetResetStrategy, {kind: 'file'}>,
): OffsetResetRow[] {
  const rows: OffsetResetRow[] = []
  const unshiftable: PartitionResetState[] = []
  const copied = strategy.kind === 'group' ? new Map(strategy.offsets.map((o) => [topicPartitionKey(o), o.offset])) : undefined
  for (const state of partitions) {
    const target = targetFor(state, strategy, copied)
    if (target === undefined) unshiftable.push(state)
    else rows.push(toRow(state, target))
  }
  if (unshiftable.length > 0 && strategy.kind === 'group') {
    throw new KafkitError(
      `group "${strategy.group}" has no committed offset for ${unshiftable.map(formatTopicPartition).join(', ')}, so there is nothing to copy there`,
      {
        code: 'COPY_WITHOUT_COMMITTED_OFFSET',
        hint: `narrow --topic to the partitions "${strategy.group}" has offsets for (kafkit groups describe ${strategy.group}), or use --all-topics`,
      },
    )
  }
  if (unshiftable.length > 0) {
    throw new KafkitError(
      `cannot shift ${unshiftable.map(formatTopicPartition).join(', ')}: the group has no committed offset there ` +
        '(kafka-consumer-groups.sh refuses this too)',
      {
        code: 'SHIFT_WITHOUT_COMMITTED_OFFSET',
        hint: 'narrow --topic to partitions with committed offsets, or reset those with --to-earliest/--to-latest/--to-offset first',
      },
    )
  }
  return rows
}

/** undefined only for a shift without a committed offset (no base to shift from) or a copy without one (nothing to copy). */
function targetFor(state: PartitionResetState, strategy: Exclude<OffsetResetStrategy, {kind: 'file'}>, copied?: ReadonlyMap<string, number>): Target | undefined {
  switch (strategy.kind) {
    case 'group': {
      const offset = copied?.get(topicPartitionKey(state))
      return offset === undefined ? undefined : clampToLog(offset, state)
    }
    case 'earliest':
      return unclamped(state.earliest)
    case 'latest':
      return unclamped(state.latest)
    case 'offset':
      return clampToLog(strategy.offset, state)
    case 'shift':
      return state.committed === null ? undefined : clampToLog(state.committed + strategy.by, state)
    case 'datetime':
    case 'duration': {
      if (state.offsetForTime !== null && state.offsetForTime !== undefined) return clampToLog(state.offsetForTime, state)
      const when =
        strategy.kind === 'datetime'
          ? `at or after ${new Date(strategy.timestamp).toISOString()}`
          : `in the last ${formatDuration(strategy.ms)}`
      return {offset: state.latest, clamped: 'latest', reason: `no message ${when}: log end, as Kafka's tool does`}
    }
  }
}

function planFromFile(
  offsets: readonly OffsetResetFileEntry[],
  stateByPartition: ReadonlyMap<string, PartitionResetState>,
): OffsetResetRow[] {
  const partitionsByTopic = new Map<string, number[]>()
  for (const state of stateByPartition.values()) {
    const partitions = partitionsByTopic.get(state.topic) ?? []
    partitions.push(state.partition)
    partitionsByTopic.set(state.topic, partitions)
  }

  const rows: OffsetResetRow[] = []
  const problems: string[] = []
  const planned = new Set<string>()
  for (const entry of offsets) {
    const key = topicPartitionKey(entry)
    const where = entry.location ? `${entry.location}: ` : ''
    const state = stateByPartition.get(key)
    if (state === undefined) {
      const known = partitionsByTopic.get(entry.topic)
      problems.push(
        known === undefined
          ? `${where}topic "${entry.topic}" is not in the reset scope`
          : `${where}unknown partition ${formatTopicPartition(entry)} (${entry.topic} has partitions ${describePartitionNumbers(known)})`,
      )
    } else if (planned.has(key)) {
      problems.push(`${where}${formatTopicPartition(entry)} appears more than once`)
    } else {
      requireSafeInteger(entry.offset, `offset for ${formatTopicPartition(entry)}`)
      planned.add(key)
      rows.push(toRow(state, clampToLog(entry.offset, state)))
    }
  }
  if (problems.length > 0) {
    throw new KafkitError(problems.join('\n'), {
      code: 'OFFSETS_FILE_OUT_OF_SCOPE',
      hint: 'every line must name an existing partition of a topic in the reset scope',
    })
  }
  return rows
}

/** Kafka's checkOffsetsRange: past the log end → log end, else before the log start → log start. */
function clampToLog(requested: number, state: PartitionResetState): Target {
  if (requested > state.latest) {
    return {offset: state.latest, clamped: 'latest', reason: `requested ${requested} is past the log end ${state.latest}`}
  }
  if (requested < state.earliest) {
    return {offset: state.earliest, clamped: 'earliest', reason: `requested ${requested} is before the log start ${state.earliest}`}
  }
  return unclamped(requested)
}

function unclamped(offset: number): Target {
  return {offset, clamped: null, reason: null}
}

function toRow(state: PartitionResetState, target: Target): OffsetResetRow {
  return {
    topic: state.topic,
    partition: state.partition,
    current: state.committed,
    new: target.offset,
    delta: state.committed === null ? null : target.offset - state.committed,
    clamped: target.clamped,
    reason: target.reason,
  }
}

function summarize(rows: readonly OffsetResetRow[]): OffsetResetSummary {
  return {
    partitions: rows.length,
    changed: rows.filter((row) => row.current !== row.new).length,
    totalDelta: rows.reduce((sum, row) => sum + (row.delta ?? 0), 0),
    clamped: rows.filter((row) => row.clamped !== null).length,
  }
}

function indexPartitions(partitions: readonly PartitionResetState[]): Map<string, PartitionResetState> {
  const byKey = new Map<string, PartitionResetState>()
  for (const state of partitions) {
    const key = topicPartitionKey(state)
    if (byKey.has(key)) throw new Error(`planOffsetReset: ${key} is listed twice in the scope`)
    // ListOffsets for the start and the end are separate reads; if retention moved the start
    // past an end read earlier, the snapshot is unusable, and re-reading fixes it.
    if (state.earliest > state.latest) {
      throw new KafkitError(
        `${formatTopicPartition(state)}: log start ${state.earliest} is past log end ${state.latest}; the partition changed while it was read`,
        {code: 'OFFSETS_INCONSISTENT', hint: 'run the command again'},
      )
    }
    byKey.set(key, state)
  }
  return byKey
}

/** Flags are validated by the command; this guards the core against NaN and fractions from any caller. */
function checkStrategy(strategy: OffsetResetStrategy): void {
  switch (strategy.kind) {
    case 'offset':
      return requireSafeInteger(strategy.offset, 'offset')
    case 'shift':
      return requireSafeInteger(strategy.by, 'shift')
    case 'datetime':
      return requireSafeInteger(strategy.timestamp, 'timestamp')
    case 'duration':
      requireSafeInteger(strategy.ms, 'duration')
      if (strategy.ms < 0) throw new KafkitError(`duration must not be negative, got ${strategy.ms}ms`, {code: 'INVALID_RESET'})
      return
    default:
      return
  }
}

function requireSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new KafkitError(`${what} must be an integer, got ${value}`, {code: 'INVALID_RESET'})
}

// ---------------------------------------------------------------------------------------------
// Scope: `--topic orders`, `--topic orders:0,2,5` (Kafka's syntax), repeatable.

export interface TopicScope {
  readonly topic: string
  /** Sorted, without duplicates; undefined means every partition of the topic. */
  readonly partitions?: readonly number[]
}

/** A topic and its live partitions, as the cluster's metadata reports them. */
export interface TopicPartitions {
  readonly topic: string
  readonly partitions: readonly number[]
}

const SCOPE_HINT = 'use --topic NAME or --topic NAME:0,2,5'

export function parseTopicScope(text: string): TopicScope {
  const invalid = (why: string) =>
    new KafkitError(`invalid topic scope "${text}": ${why}`, {code: 'INVALID_TOPIC_SCOPE', hint: SCOPE_HINT})
  const [topic, partitionList, ...extra] = text.trim().split(':')
  if (extra.length > 0) throw invalid("more than one ':'")
  if (topic === '') throw invalid('topic name missing')
  if (!isValidTopicName(topic)) throw invalid("a topic name has only letters, digits, '.', '_' and '-'")
  if (partitionList === undefined) return {topic}
  if (partitionList.trim() === '') throw invalid("no partitions after ':' (e.g. orders:0,2,5)")

  const partitions = partitionList.split(',').map((item) => {
    const partition = parseNonNegativeInteger(item.trim())
    if (partition === undefined) throw invalid(`partition "${item}" is not a non-negative integer`)
    return partition
  })
  return {topic, partitions: [...new Set(partitions)].sort((a, b) => a - b)}
}

/**
 * Expands scopes to partitions using the live topics; scopes naming the same topic are merged,
 * and a whole-topic scope wins over a partial one. Every unknown topic and partition is reported
 * in one error.
 */
export function resolveTopicScopes(scopes: readonly TopicScope[], live: readonly TopicPartitions[]): TopicPartition[] {
  const liveByTopic = new Map(live.map((topic) => [topic.topic, topic.partitions]))
  const resolved = new Map<string, TopicPartition>()
  const problems: string[] = []
  for (const scope of scopes) {
    const livePartitions = liveByTopic.get(scope.topic)
    if (livePartitions === undefined) {
      problems.push(`unknown topic "${scope.topic}"`)
      continue
    }
    for (const partition of scope.partitions ?? livePartitions) {
      const tp = {topic: scope.topic, partition}
      if (livePartitions.includes(partition)) resolved.set(topicPartitionKey(tp), tp)
      else problems.push(`unknown partition ${formatTopicPartition(tp)} (${scope.topic} has partitions ${describePartitionNumbers(livePartitions)})`)
    }
  }
  if (problems.length > 0) {
    throw new KafkitError(problems.join('; '), {code: problems.some((p) => p.startsWith('unknown topic')) ? 'TOPIC_NOT_FOUND' : 'PARTITION_NOT_FOUND'})
  }
  return [...resolved.values()].sort(compareTopicPartitions)
}
