/**
 * `kafkit configs describe|set|delete`: which resource the flags name, what KEY=VALUE arguments
 * mean, and the plan of a change (old value -> new value) checked against the resource's live
 * configs. Pure: the use case (src/app/configs.ts) reads the live configs and sends the changes.
 *
 * Topic keys are checked against kafkit's table of Kafka's topic configs (the same one topics.yaml
 * uses: durations like 7d, sizes like 1GiB, did-you-mean); broker keys against the broker's own
 * DescribeConfigs answer (names, types, read-only), with the same units for *.ms and *.bytes.
 */
import {KafkitError, type ErrorCode} from '../errors.js'
import {didYouMean} from './did-you-mean.js'
import {humaneConfigValue, normaliseConfigValue, topicConfigDef, unknownConfigMessage} from './topic-configs.js'
import {formatDuration, formatSize, parseDuration, parseSize} from './units.js'

export type ConfigResourceKind = 'topic' | 'broker'

/** A topic, one broker (its id), or the cluster-wide broker default (name ''). */
export interface ConfigResourceRef {
  readonly type: ConfigResourceKind
  readonly name: string
}

export interface ConfigSynonym {
  readonly name: string
  /** null when unset or sensitive. */
  readonly value: string | null
  readonly source: string
}

/** One entry of DescribeConfigs. Sensitive values are never carried (value null). */
export interface DescribedConfig {
  readonly name: string
  readonly value: string | null
  /** topic, dynamic-broker, dynamic-default-broker, static-broker, default, ... */
  readonly source: string
  readonly readOnly: boolean
  readonly sensitive: boolean
  /** boolean, string, int, short, long, double, list, class, password, unknown. */
  readonly type: string
  /** The values it falls back to, most specific first (the entry's own source first). */
  readonly synonyms: readonly ConfigSynonym[]
}

export interface ConfigResourceDescription extends ConfigResourceRef {
  /** null, or why this resource could not be described (kafkit's words). */
  readonly error: {readonly code: ErrorCode; readonly message: string} | null
  readonly entries: readonly DescribedConfig[]
}

/** "topic orders", "broker 1", "the cluster-wide broker default". */
export function resourceLabel(r: ConfigResourceRef): string {
  if (r.type === 'topic') return `topic ${r.name}`
  return r.name === '' ? 'the cluster-wide broker default' : `broker ${r.name}`
}

/** The config source an override of this resource has: what `delete` removes. */
export function overrideSource(r: ConfigResourceRef): string {
  if (r.type === 'topic') return 'topic'
  return r.name === '' ? 'dynamic-default-broker' : 'dynamic-broker'
}

export interface KeyValue {
  readonly key: string
  readonly value: string
}

/** `KEY=VALUE` arguments of `configs set`; the value may contain '=' and may be empty. */
export function parseKeyValues(args: readonly string[]): KeyValue[] {
  if (args.length === 0) throw new KafkitError('nothing to set: give KEY=VALUE arguments (e.g. retention.ms=7d)')
  const seen = new Set<string>()
  return args.map((arg) => {
    const eq = arg.indexOf('=')
    if (eq < 0) throw new KafkitError(`"${arg}" is not KEY=VALUE (to remove an override: kafkit configs delete ${arg})`)
    const key = arg.slice(0, eq).trim()
    if (key === '') throw new KafkitError(`"${arg}" has no key before "="`)
    if (seen.has(key)) throw new KafkitError(`${key} is given twice`)
    seen.add(key)
    return {key, value: arg.slice(eq + 1).trim()}
  })
}

/** Keys of `configs delete` (and of `configs describe` filters): no duplicates, no KEY=VALUE. */
export function parseKeys(args: readonly string[], what: 'delete' | 'describe'): string[] {
  if (args.length === 0 && what === 'delete') throw new KafkitError('nothing to delete: name the config keys whose override to remove')
  const keys = args.map((a) => a.trim())
  for (const k of keys) {
    if (k === '') throw new KafkitError('a config key is empty')
    if (k.includes('=')) throw new KafkitError(`"${k}" is KEY=VALUE, but ${what} takes only keys${what === 'delete' ? ' (to set a value: kafkit configs set)' : ''}`)
  }
  return [...new Set(keys)]
}

/** For topics: the key checked against the topic config table before anything is sent. */
export function checkTopicKey(key: string): string | undefined {
  return topicConfigDef(key) === undefined ? unknownConfigMessage(key) : undefined
}

/** Why `key` is not a config of the described resource (did-you-mean from the live names). */
export function unknownKeyMessage(resource: ConfigResourceRef, key: string, liveNames: readonly string[]): string {
  if (resource.type === 'topic') return unknownConfigMessage(key)
  return `unknown broker config "${key}"${didYouMean(key, liveNames) || ' (not among the configs the broker describes)'}`
}

/**
 * Dynamic broker configs that DescribeConfigs lists only once they are set (they are not
 * KafkaConfig keys): the replication throttles kafka-reassign-partitions sets. Type long.
 */
export const UNLISTED_BROKER_KEYS: readonly string[] = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate', 'replica.alter.log.dirs.io.max.bytes.per.second']

/** The broker's described entries plus the unlisted dynamic keys it would accept. */
export function withUnlistedBrokerKeys(entries: readonly DescribedConfig[]): DescribedConfig[] {
  const have = new Set(entries.map((e) => e.name))
  const extra = UNLISTED_BROKER_KEYS.filter((k) => !have.has(k)).map((name): DescribedConfig => ({name, value: null, source: 'default', readOnly: false, sensitive: false, type: 'long', synonyms: []}))
  return [...entries, ...extra]
}

const durationKey = (key: string) => /\.ms$/.test(key)
const sizeKey = (key: string) => /\.bytes$|\.bytes\.per\.second$|\.throttled\.rate$/.test(key)

/**
 * A broker config value as Kafka expects it, by the type the broker reports: booleans true/false,
 * integers (durations like 7d for *.ms keys, sizes like 1GiB for *.bytes keys), doubles; strings,
 * lists, classes and passwords as given. The broker's validateOnly run checks the rest.
 */
export function normaliseBrokerValue(entry: Pick<DescribedConfig, 'name' | 'type'>, raw: string): {ok: true; value: string} | {ok: false; reason: string} {
  const text = raw.trim()
  const integer = (min: bigint, max: bigint) => {
    let value: bigint | undefined
    if (/^[-+]?\d+$/.test(text)) value = BigInt(text)
    else {
      const human = durationKey(entry.name) ? parseDuration(text) : sizeKey(entry.name) ? parseSize(text) : undefined
      if (human !== undefined) value = BigInt(human)
    }
    if (value === undefined) {
      const expected = durationKey(entry.name)
        ? 'a duration: milliseconds, or 500ms, 30s, 15m, 12h, 7d'
        : sizeKey(entry.name)
          ? 'a size: bytes, or 512KiB, 1GiB, 100MB'
          : /\.(hours|minutes|seconds)$/.test(entry.name)
            ? `a whole number of ${/\.(\w+)$/.exec(entry.name)![1]}`
            : 'an integer'
      return {ok: false as const, reason: `"${raw}" is not ${expected}`}
    }
    if (value < min || value > max) return {ok: false as const, reason: `"${raw}" is out of range for a ${entry.type} (${min} to ${max})`}
    return {ok: true as const, value: value.toString()}
  }
  switch (entry.type) {
    case 'boolean':
      return /^(true|false)$/i.test(text) ? {ok: true, value: text.toLowerCase()} : {ok: false, reason: `"${raw}" is not a boolean (true or false)`}
    case 'short':
      return integer(-32_768n, 32_767n)
    case 'int':
      return integer(-2_147_483_648n, 2_147_483_647n)
    case 'long':
      return integer(-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n)
    case 'double':
      return text !== '' && Number.isFinite(Number(text)) ? {ok: true, value: text} : {ok: false, reason: `"${raw}" is not a number`}
    case 'list':
      return {ok: true, value: text.split(',').map((s) => s.trim()).filter((s) => s !== '').join(',')}
    default:
      return {ok: true, value: raw}
  }
}

/** A value and where it comes from; `via` names the synonym that holds it (log.retention.hours for log.retention.ms). */
export interface SourcedValue {
  readonly value: string | null
  readonly source: string
  readonly via?: string
}

export interface PlannedChange {
  readonly key: string
  readonly op: 'set' | 'delete'
  /** The effective value now, and where it comes from (null value: unset or sensitive). */
  readonly old: SourcedValue | null
  /** The effective value afterwards: the value set, or what a delete falls back to. */
  readonly new: SourcedValue | null
  readonly sensitive: boolean
  /**
   * The broker describes the key as read-only. Brokers also say so for keys they do accept
   * dynamically (leader.replication.throttled.rate), so the broker's validateOnly run decides.
   */
  readonly readOnly: boolean
  /** Nothing would change: the same override is already set, or there is no override to delete. */
  readonly unchanged: boolean
}

export interface ConfigPlan {
  readonly resource: ConfigResourceRef
  readonly changes: readonly PlannedChange[]
}

/**
 * The plan of `configs set` against the resource's live entries (for the cluster-wide broker
 * default, `reference` is a live broker's entries: the default resource lists only what is set).
 * Throws one line for an unknown key, a read-only key or a value of the wrong kind.
 */
export function planSet(resource: ConfigResourceRef, pairs: readonly KeyValue[], live: readonly DescribedConfig[], reference: readonly DescribedConfig[] = live): ConfigPlan {
  const byName = new Map(live.map((e) => [e.name, e]))
  const refByName = new Map(reference.map((e) => [e.name, e]))
  const names = [...new Set([...refByName.keys(), ...byName.keys()])]
  const own = overrideSource(resource)
  const changes = pairs.map(({key, value}): PlannedChange => {
    const ref = refByName.get(key) ?? byName.get(key)
    let normalised: string
    if (resource.type === 'topic') {
      const def = topicConfigDef(key)
      if (def === undefined) throw new KafkitError(`${resourceLabel(resource)}: ${unknownConfigMessage(key)}`)
      const result = normaliseConfigValue(key, value)
      if (!result.ok) throw new KafkitError(`${resourceLabel(resource)}: ${key}: ${result.reason}`)
      normalised = result.value
    } else {
      if (ref === undefined) throw new KafkitError(`${resourceLabel(resource)}: ${unknownKeyMessage(resource, key, names)}`)
      const result = normaliseBrokerValue(ref, value)
      if (!result.ok) throw new KafkitError(`${resourceLabel(resource)}: ${key}: ${result.reason}`)
      normalised = result.value
    }
    const current = byName.get(key)
    const sensitive = ref?.sensitive ?? false
    const readOnly = ref?.readOnly ?? false
    const oldRaw = current ? effectiveOf(current) : effectiveFromReference(ref)
    const old = oldRaw && resource.type === 'broker' ? withCoarserKey(oldRaw, key, refByName) : oldRaw
    // A sensitive value is never read back: setting it always counts as a change.
    const unchanged = !sensitive && current !== undefined && current.source === own && current.value === normalised
    return {key, op: 'set', old, new: {value: sensitive ? null : normalised, source: own}, sensitive, readOnly, unchanged}
  })
  return {resource, changes}
}

/** What a broker key is when the cluster-wide default has no entry for it: the broker's static or default value. */
function effectiveFromReference(ref: DescribedConfig | undefined): SourcedValue | null {
  if (ref === undefined) return null
  return fromSynonyms(ref.name, ref.synonyms.filter((s) => s.source === 'static-broker' || s.source === 'default'))
}

/** The first synonym with a value (Kafka lists them most specific first). */
function fromSynonyms(key: string, synonyms: readonly ConfigSynonym[]): SourcedValue | null {
  const hit = synonyms.find((s) => s.value !== null) ?? synonyms[0]
  if (hit === undefined) return null
  return hit.name === key ? {value: hit.value, source: hit.source} : {value: hit.value, source: hit.source, via: hit.name}
}

/** Broker keys Kafka reports as null when a coarser key holds the value (KafkaConfig's fallbacks). */
const COARSER_KEYS: Readonly<Record<string, readonly string[]>> = {
  'log.retention.ms': ['log.retention.minutes', 'log.retention.hours'],
  'log.roll.ms': ['log.roll.hours'],
  'log.roll.jitter.ms': ['log.roll.jitter.hours'],
  'log.flush.interval.ms': ['log.flush.scheduler.interval.ms'],
}

/** The value a null broker entry takes from the coarser key that holds it (log.retention.hours for log.retention.ms). */
function withCoarserKey(value: SourcedValue, key: string, others: ReadonlyMap<string, DescribedConfig>): SourcedValue {
  if (value.value !== null) return value
  for (const name of COARSER_KEYS[key] ?? []) {
    const e = others.get(name)
    if (e && e.value !== null) return {value: e.value, source: e.source, via: name}
  }
  return value
}

/** An entry's effective value: its own, or (Kafka reports null for log.retention.ms when log.retention.hours holds it) a synonym's. */
function effectiveOf(entry: DescribedConfig): SourcedValue {
  if (entry.value !== null || entry.sensitive) return {value: entry.value, source: entry.source}
  return fromSynonyms(entry.name, entry.synonyms) ?? {value: null, source: entry.source}
}

/** The broker refused a change that includes keys it describes as read-only: say which. */
export function readOnlyMessage(resource: ConfigResourceRef, keys: readonly string[], brokerMessage: string): string {
  const where = resource.type === 'broker' ? ' (it can only be changed in server.properties, with a broker restart)' : ''
  return `${resourceLabel(resource)}: ${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} read-only${where}: ${brokerMessage}`
}

/**
 * The plan of `configs delete`: each key's override goes, and the value falls back to the next
 * synonym (a broker's default, the static config, Kafka's default). A key without an override at
 * this level is a no-op (unchanged), an unknown key an error.
 */
export function planDelete(resource: ConfigResourceRef, keys: readonly string[], live: readonly DescribedConfig[], reference: readonly DescribedConfig[] = live): ConfigPlan {
  const byName = new Map(live.map((e) => [e.name, e]))
  const refByName = new Map(reference.map((e) => [e.name, e]))
  const names = [...new Set([...refByName.keys(), ...byName.keys()])]
  const own = overrideSource(resource)
  const changes = keys.map((key): PlannedChange => {
    const current = byName.get(key)
    const ref = refByName.get(key) ?? current
    if (ref === undefined && (resource.type === 'broker' || checkTopicKey(key) !== undefined)) {
      throw new KafkitError(`${resourceLabel(resource)}: ${unknownKeyMessage(resource, key, names)}`)
    }
    const sensitive = ref?.sensitive ?? false
    const readOnly = ref?.readOnly ?? false
    const overridden = current !== undefined && current.source === own
    const oldRaw = current ? effectiveOf(current) : effectiveFromReference(ref)
    const old = oldRaw && resource.type === 'broker' ? withCoarserKey(oldRaw, key, refByName) : oldRaw
    if (!overridden) return {key, op: 'delete', old, new: old, sensitive, readOnly, unchanged: true}
    const rest = current.synonyms.filter((s) => s.source !== own)
    const nextRaw = (rest.length > 0 ? fromSynonyms(key, rest) : null) ?? (resource.type === 'broker' && resource.name === '' ? effectiveFromReference(refByName.get(key)) : null) ?? topicDefault(resource, key)
    const next = nextRaw && resource.type === 'broker' ? withCoarserKey(nextRaw, key, refByName) : nextRaw
    return {key, op: 'delete', old, new: next, sensitive, readOnly, unchanged: false}
  })
  return {resource, changes}
}

function topicDefault(resource: ConfigResourceRef, key: string): SourcedValue | null {
  if (resource.type !== 'topic') return null
  const def = topicConfigDef(key)
  return def ? {value: def.kafkaDefault, source: 'default'} : null
}

/**
 * A value for people: sensitive ones hidden, durations and sizes with their human form
 * (604800000 (7d), 1073741824 (1GiB)).
 */
export function displayConfigValue(key: string, value: string | null, sensitive = false): string {
  if (sensitive) return '(sensitive)'
  if (value === null) return '(none)'
  if (value === '') return '""'
  if (topicConfigDef(key) !== undefined) {
    const human = humaneConfigValue(key, value)
    return typeof human === 'string' && human !== value ? `${value} (${human})` : value
  }
  if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value)) && Number(value) > 0) {
    const n = Number(value)
    const human = durationKey(key) ? formatDuration(n).replace(/^(\d+)w$/, (_, weeks: string) => `${Number(weeks) * 7}d`) : sizeKey(key) ? formatSize(n) : value
    if (human !== value && !human.endsWith('ms')) return `${value} (${human})`
  }
  return value
}

/** Entries `configs describe` lists: every entry with `all`, the named keys, else the overrides at this level. */
export function selectEntries(resource: ConfigResourceRef, entries: readonly DescribedConfig[], opts: {all?: boolean; keys?: readonly string[]}): DescribedConfig[] {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  if (opts.keys && opts.keys.length > 0) {
    const wanted = new Set(opts.keys)
    return sorted.filter((e) => wanted.has(e.name))
  }
  if (opts.all) return sorted
  const own = overrideSource(resource)
  return sorted.filter((e) => e.source === own)
}
