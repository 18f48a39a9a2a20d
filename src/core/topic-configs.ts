/**
 * Kafka 4.x topic-level configs: names, value kinds, Kafka's defaults and validators, and the
 * normalisation that turns what people write in topics.yaml (7d, 1GiB, True, [compact, delete])
 * into the exact string Kafka prints in describeConfigs, so desired and live values compare as
 * plain strings.
 *
 * The table mirrors `LogConfig.configKeys()` of Kafka 4.1 (names, types, defaults, validators);
 * internal configs (internal.segment.bytes) are left out because users must not set them.
 */
import {didYouMean} from './did-you-mean.js'
import {formatDuration, formatSize, parseDuration, parseSize} from './units.js'

/**
 * How a config's value is written and compared. duration: a Java long of milliseconds (*.ms);
 * size: bytes (*.bytes); int: any other integer (Java int or long); list: comma-separated.
 */
export type ConfigValueKind = 'duration' | 'size' | 'int' | 'double' | 'boolean' | 'string' | 'list'

export interface TopicConfigDef {
  name: string
  kind: ConfigValueKind
  /** Kafka's default, as describeConfigs prints it when nothing overrides it. */
  kafkaDefault: string
  /** For integer kinds: the value must lie in one of these inclusive ranges (Kafka's validator). */
  ranges?: ReadonlyArray<readonly [bigint, bigint]>
  /** For double: inclusive bounds. */
  bounds?: readonly [number, number]
  /** For string: the accepted values (matched case-insensitively, normalised to this spelling). */
  allowed?: readonly string[]
  /** For list: each item must match `pattern`; `describe` names the expected form in messages. */
  item?: {pattern: RegExp; describe: string}
  /** For list: whether the order means nothing (then items are sorted so any order compares equal). */
  unordered?: boolean
  description: string
}

const INT_MAX = 2_147_483_647n
const LONG_MAX = 9_223_372_036_854_775_807n
const LONG_MIN = -9_223_372_036_854_775_808n
const LONG_MAX_TEXT = LONG_MAX.toString()

const atLeast = (min: bigint, max = LONG_MAX): Array<[bigint, bigint]> => [[min, max]]

/** A replica list for replication throttling: `partition:broker` items, or `*` for every replica. */
const THROTTLED_REPLICA_ITEM = {pattern: /^(\*|\d+:\d+)$/, describe: '"<partition>:<broker>" or "*"'}

const DEFS: TopicConfigDef[] = [
  {name: 'cleanup.policy', kind: 'list', kafkaDefault: 'delete', unordered: true,
    item: {pattern: /^(compact|delete)$/, describe: '"delete" or "compact"'},
    description: 'delete: drop old segments by retention time/size; compact: keep the latest record per key; both: compact,delete.'},
  {name: 'compression.gzip.level', kind: 'int', kafkaDefault: '-1', ranges: [[-1n, -1n], [1n, 9n]],
    description: 'gzip level when compression.type is gzip (-1: codec default).'},
  {name: 'compression.lz4.level', kind: 'int', kafkaDefault: '9', ranges: [[1n, 17n]],
    description: 'lz4 level when compression.type is lz4.'},
  {name: 'compression.type', kind: 'string', kafkaDefault: 'producer',
    allowed: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
    description: 'Codec the broker stores batches with; producer keeps whatever the producer used.'},
  {name: 'compression.zstd.level', kind: 'int', kafkaDefault: '3', ranges: [[-131_072n, 22n]],
    description: 'zstd level when compression.type is zstd.'},
  {name: 'delete.retention.ms', kind: 'duration', kafkaDefault: '86400000', ranges: atLeast(0n),
    description: 'How long tombstones stay readable on compacted topics.'},
  {name: 'file.delete.delay.ms', kind: 'duration', kafkaDefault: '60000', ranges: atLeast(0n),
    description: 'Wait before deleting a file from the filesystem.'},
  {name: 'flush.messages', kind: 'int', kafkaDefault: LONG_MAX_TEXT, ranges: atLeast(1n),
    description: 'Force an fsync every N messages (leave unset: replication gives durability).'},
  {name: 'flush.ms', kind: 'duration', kafkaDefault: LONG_MAX_TEXT, ranges: atLeast(0n),
    description: 'Force an fsync at this interval (leave unset: replication gives durability).'},
  {name: 'follower.replication.throttled.replicas', kind: 'list', kafkaDefault: '', unordered: true, item: THROTTLED_REPLICA_ITEM,
    description: 'Replicas throttled on the follower side during reassignment.'},
  {name: 'index.interval.bytes', kind: 'size', kafkaDefault: '4096', ranges: atLeast(0n, INT_MAX),
    description: 'How often an offset index entry is added.'},
  {name: 'leader.replication.throttled.replicas', kind: 'list', kafkaDefault: '', unordered: true, item: THROTTLED_REPLICA_ITEM,
    description: 'Replicas throttled on the leader side during reassignment.'},
  {name: 'local.retention.bytes', kind: 'size', kafkaDefault: '-2', ranges: atLeast(-2n),
    description: 'Tiered storage: bytes kept on local disk per partition (-2: same as retention.bytes).'},
  {name: 'local.retention.ms', kind: 'duration', kafkaDefault: '-2', ranges: atLeast(-2n),
    description: 'Tiered storage: time kept on local disk (-2: same as retention.ms).'},
  {name: 'max.compaction.lag.ms', kind: 'duration', kafkaDefault: LONG_MAX_TEXT, ranges: atLeast(1n),
    description: 'Longest a record may stay uncompacted.'},
  {name: 'max.message.bytes', kind: 'size', kafkaDefault: '1048588', ranges: atLeast(0n, INT_MAX),
    description: 'Largest record batch the topic accepts.'},
  {name: 'message.timestamp.after.max.ms', kind: 'duration', kafkaDefault: '3600000', ranges: atLeast(0n),
    description: 'How far in the future a CreateTime timestamp may be.'},
  {name: 'message.timestamp.before.max.ms', kind: 'duration', kafkaDefault: LONG_MAX_TEXT, ranges: atLeast(0n),
    description: 'How far in the past a CreateTime timestamp may be.'},
  {name: 'message.timestamp.type', kind: 'string', kafkaDefault: 'CreateTime', allowed: ['CreateTime', 'LogAppendTime'],
    description: 'CreateTime: the producer\'s timestamp; LogAppendTime: the broker\'s.'},
  {name: 'min.cleanable.dirty.ratio', kind: 'double', kafkaDefault: '0.5', bounds: [0, 1],
    description: 'Compaction starts when this share of the log is uncompacted.'},
  {name: 'min.compaction.lag.ms', kind: 'duration', kafkaDefault: '0', ranges: atLeast(0n),
    description: 'Shortest time a record stays uncompacted.'},
  {name: 'min.insync.replicas', kind: 'int', kafkaDefault: '1', ranges: atLeast(1n, INT_MAX),
    description: 'Replicas that must acknowledge an acks=all write; 2 with replicationFactor 3 survives one broker down.'},
  {name: 'preallocate', kind: 'boolean', kafkaDefault: 'false',
    description: 'Preallocate segment files on disk.'},
  {name: 'remote.log.copy.disable', kind: 'boolean', kafkaDefault: 'false',
    description: 'Tiered storage: stop copying segments to remote storage.'},
  {name: 'remote.log.delete.on.disable', kind: 'boolean', kafkaDefault: 'false',
    description: 'Tiered storage: delete remote data when remote storage is disabled.'},
  {name: 'remote.storage.enable', kind: 'boolean', kafkaDefault: 'false',
    description: 'Tiered storage: keep older segments in remote storage.'},
  {name: 'retention.bytes', kind: 'size', kafkaDefault: '-1', ranges: [[LONG_MIN, LONG_MAX]],
    description: 'Largest size of a partition before old segments are deleted (-1: no limit).'},
  {name: 'retention.ms', kind: 'duration', kafkaDefault: '604800000', ranges: atLeast(-1n),
    description: 'How long records are kept before deletion (-1: forever).'},
  {name: 'segment.bytes', kind: 'size', kafkaDefault: '1073741824', ranges: atLeast(1_048_576n, INT_MAX),
    description: 'Segment file size.'},
  {name: 'segment.index.bytes', kind: 'size', kafkaDefault: '10485760', ranges: atLeast(4n, INT_MAX),
    description: 'Size of the offset index per segment.'},
  {name: 'segment.jitter.ms', kind: 'duration', kafkaDefault: '0', ranges: atLeast(0n),
    description: 'Random jitter subtracted from segment.ms to avoid rolling all segments at once.'},
  {name: 'segment.ms', kind: 'duration', kafkaDefault: '604800000', ranges: atLeast(1n),
    description: 'Roll a new segment after this time even if it is not full.'},
  {name: 'unclean.leader.election.enable', kind: 'boolean', kafkaDefault: 'false',
    description: 'Allow an out-of-sync replica to become leader (availability over durability: loses data).'},
]

export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigDef> = new Map(DEFS.map((def) => [def.name, def]))
export const TOPIC_CONFIG_NAMES: readonly string[] = DEFS.map((def) => def.name)

/** Topic configs that Kafka 4.0 removed; a broker rejects them, so the file must not set them. */
export const REMOVED_TOPIC_CONFIGS: Readonly<Record<string, string>> = {
  'message.downconversion.enable': 'Kafka 4.0 removed down-conversion',
  'message.format.version': 'Kafka 4.0 always writes message format v2',
  'message.timestamp.difference.max.ms': 'use message.timestamp.before.max.ms and message.timestamp.after.max.ms',
}

export function topicConfigDef(name: string): TopicConfigDef | undefined {
  return TOPIC_CONFIGS.get(name)
}

/**
 * Why `name` is not a topic config, with the nearest real name:
 * `unknown config "retension.ms" (did you mean "retention.ms"?)`.
 */
export function unknownConfigMessage(name: string): string {
  const removedBecause = REMOVED_TOPIC_CONFIGS[name]
  if (removedBecause !== undefined) return `config "${name}" was removed in Kafka 4.0 (${removedBecause})`
  // Broker-level spellings: log.retention.ms → retention.ms, log.retention.hours → retention.ms.
  const topicSpelling = name.replace(/^log\./, '').replace(/\.(hours|minutes)$/, '.ms')
  const hint = didYouMean(topicSpelling, TOPIC_CONFIG_NAMES)
  return `unknown config "${name}"${hint === '' ? ' (not a Kafka topic config)' : hint}`
}

export type NormaliseResult = {ok: true; value: string} | {ok: false; reason: string}

const fail = (reason: string): NormaliseResult => ({ok: false, reason})
const ok = (value: string): NormaliseResult => ({ok: true, value})

/**
 * The value as Kafka prints it, or why it is not acceptable for this config. `raw` is what the
 * YAML held: a string, number, boolean or (for lists) an array. Integers too large for a JS number
 * must arrive as their digits (the parser passes the YAML source text).
 */
export function normaliseConfigValue(name: string, raw: unknown): NormaliseResult {
  const def = TOPIC_CONFIGS.get(name)
  if (def === undefined) return fail(unknownConfigMessage(name))
  switch (def.kind) {
    case 'duration':
      return normaliseInteger(def, raw, parseDuration, 'a duration: milliseconds, or 500ms, 30s, 15m, 12h, 7d')
    case 'size':
      return normaliseInteger(def, raw, parseSize, 'a size: bytes, or 512KiB, 1GiB, 100MB')
    case 'int':
      return normaliseInteger(def, raw, () => undefined, 'an integer')
    case 'double':
      return normaliseDouble(def, raw)
    case 'boolean':
      return normaliseBoolean(raw)
    case 'string':
      return normaliseString(def, raw)
    case 'list':
      return normaliseList(def, raw)
  }
}

/**
 * For comparing with a live value: normalise if possible, else keep the text as is (a live value
 * Kafka accepted but this table would not is still compared exactly, never dropped).
 */
export function comparableConfigValue(name: string, value: string | null): string | null {
  if (value === null) return null
  const result = normaliseConfigValue(name, value)
  return result.ok ? result.value : value
}

function describeValue(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : Array.isArray(raw) ? `[${raw.join(', ')}]` : String(raw)
}

function normaliseInteger(
  def: TopicConfigDef,
  raw: unknown,
  parseHuman: (text: string) => number | undefined,
  expected: string,
): NormaliseResult {
  let value: bigint | undefined
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return fail(`${raw} is not a whole number`)
    if (!Number.isSafeInteger(raw)) return fail(`${raw} is too large to be read exactly; quote it`)
    value = BigInt(raw)
  } else if (typeof raw === 'string') {
    const text = raw.trim()
    if (/^[-+]?\d+$/.test(text)) value = BigInt(text)
    else {
      const parsed = parseHuman(text)
      if (parsed !== undefined) value = BigInt(parsed)
    }
  }
  if (value === undefined) return fail(`${describeValue(raw)} is not ${expected}`)
  const ranges = def.ranges ?? [[LONG_MIN, LONG_MAX]]
  if (!ranges.some(([min, max]) => value >= min && value <= max)) {
    return fail(`${describeValue(raw)} is out of range: ${describeRanges(def, ranges, value)}`)
  }
  return ok(value.toString())
}

function describeRanges(def: TopicConfigDef, ranges: ReadonlyArray<readonly [bigint, bigint]>, value: bigint): string {
  const show = (n: bigint) => {
    const human = humaneConfigValue(def.name, n.toString())
    return typeof human === 'string' && human !== n.toString() ? `${n} (${human})` : n.toString()
  }
  if (ranges.length === 1) {
    const [min, max] = ranges[0]
    return value < min ? `must be at least ${show(min)}` : `must be at most ${show(max)}`
  }
  return `must be ${ranges.map(([min, max]) => (min === max ? show(min) : `between ${show(min)} and ${show(max)}`)).join(' or ')}`
}

function normaliseDouble(def: TopicConfigDef, raw: unknown): NormaliseResult {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN
  if (!Number.isFinite(value)) return fail(`${describeValue(raw)} is not a number`)
  const [min, max] = def.bounds ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]
  if (value < min || value > max) return fail(`${describeValue(raw)} is out of range: must be between ${min} and ${max}`)
  return ok(javaDoubleString(value))
}

/** Double.toString as Java prints it: 0.5 → "0.5", 1 → "1.0", 0.0001 → "1.0E-4", 1e7 → "1.0E7". */
export function javaDoubleString(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const magnitude = Math.abs(value)
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value)
    return text.includes('.') ? text : `${text}.0`
  }
  const [mantissa, exponent] = value.toExponential().split('e')
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`
}

function normaliseBoolean(raw: unknown): NormaliseResult {
  if (typeof raw === 'boolean') return ok(String(raw))
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return ok(raw.trim().toLowerCase())
  return fail(`${describeValue(raw)} is not a boolean (true or false)`)
}

function normaliseString(def: TopicConfigDef, raw: unknown): NormaliseResult {
  if (typeof raw !== 'string' && typeof raw !== 'number') return fail(`${describeValue(raw)} is not a string`)
  const text = String(raw).trim()
  if (def.allowed === undefined) return ok(text)
  const match = def.allowed.find((candidate) => candidate.toLowerCase() === text.toLowerCase())
  if (match === undefined) return fail(`${describeValue(raw)} is not one of ${def.allowed.join(', ')}${didYouMean(text, def.allowed)}`)
  return ok(match)
}

function normaliseList(def: TopicConfigDef, raw: unknown): NormaliseResult {
  const items = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : undefined
  if (items === undefined) return fail(`${describeValue(raw)} is not a list (a, b or [a, b])`)
  const trimmed = items.map((item) => item.trim()).filter((item) => item !== '')
  const bad = def.item === undefined ? undefined : trimmed.find((item) => !def.item!.pattern.test(item))
  if (bad !== undefined) return fail(`item "${bad}" is not ${def.item!.describe}`)
  const unique = [...new Set(trimmed)]
  return ok((def.unordered ? unique.sort() : unique).join(','))
}

/**
 * The friendliest exact way to write a normalised value back into YAML: durations and sizes in
 * human units when exact (604800000 → "7d", 1073741824 → "1GiB"), numbers and booleans as YAML
 * scalars, and integers beyond JS precision as their digits.
 */
export function humaneConfigValue(name: string, value: string): string | number | boolean {
  const def = TOPIC_CONFIGS.get(name)
  if (def === undefined) return value
  const asNumber = Number(value)
  const exactInteger = /^-?\d+$/.test(value) && Number.isSafeInteger(asNumber)
  switch (def.kind) {
    case 'duration': {
      if (!exactInteger) return value
      // Retention is spoken of in days (7d, 14d), so weeks are written as days.
      const human = asNumber > 0 ? formatDuration(asNumber).replace(/^(\d+)w$/, (_, weeks: string) => `${Number(weeks) * 7}d`) : ''
      return human === '' || human.endsWith('ms') ? asNumber : human
    }
    case 'size': {
      if (!exactInteger) return value
      const human = asNumber > 0 ? formatSize(asNumber) : ''
      return human === '' || /^\d+$/.test(human) ? asNumber : human
    }
    case 'int':
      return exactInteger ? asNumber : value
    case 'double':
      return Number.isFinite(asNumber) ? asNumber : value
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value
    case 'string':
    case 'list':
      return value
  }
}
