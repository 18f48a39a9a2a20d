/**
 * `kafkit topics elect-leaders` and the preferred-leader count of `cluster health`: which
 * partitions `--topic T[:P,...]` names, checked against the live topics, and what each election
 * result means. Pure.
 */
import {KafkitError, type ErrorCode} from '../errors.js'
import type {LiveTopic} from './cluster-state.js'
import {didYouMean} from './did-you-mean.js'
import {describePartitionNumbers, isValidTopicName, parseNonNegativeInteger, type TopicPartition} from './topic-partition.js'

export interface PartitionSelector {
  readonly topic: string
  /** null: every partition of the topic. */
  readonly partitions: readonly number[] | null
}

/** `orders`, `orders:0`, `orders:0,2,5`, `orders:0-3`; one selector per --topic value. */
export function parsePartitionSelector(text: string): PartitionSelector {
  const colon = text.indexOf(':')
  const topic = (colon < 0 ? text : text.slice(0, colon)).trim()
  if (!isValidTopicName(topic)) throw new KafkitError(`--topic "${text}": "${topic}" is not a topic name (letters, digits, ".", "_", "-"; then :P,... for partitions)`)
  if (colon < 0) return {topic, partitions: null}
  const spec = text.slice(colon + 1).trim()
  if (spec === '') throw new KafkitError(`--topic "${text}": no partition after ":" (e.g. ${topic}:0,1)`)
  const partitions: number[] = []
  for (const part of spec.split(',').map((p) => p.trim())) {
    const range = /^(\d+)-(\d+)$/.exec(part)
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])]
      if (from > to || to - from > 100_000) throw new KafkitError(`--topic "${text}": "${part}" is not a partition range (low-high)`)
      for (let p = from; p <= to; p++) partitions.push(p)
      continue
    }
    const n = parseNonNegativeInteger(part)
    if (n === undefined) throw new KafkitError(`--topic "${text}": "${part}" is not a partition number`)
    partitions.push(n)
  }
  return {topic, partitions: [...new Set(partitions)].sort((a, b) => a - b)}
}

export interface ElectionTarget extends TopicPartition {
  /** The first replica: the one a preferred election makes leader. */
  readonly preferred: number | null
  readonly leader: number
}

/**
 * The partitions the selectors name (every partition with `all`), in topic and partition order;
 * an unknown topic (did-you-mean) or a partition the topic does not have is one line.
 */
export function electionTargets(topics: readonly Pick<LiveTopic, 'name' | 'partitions'>[], selectors: readonly PartitionSelector[] | 'all'): ElectionTarget[] {
  const byName = new Map(topics.map((t) => [t.name, t]))
  const wanted = new Map<string, Set<number>>()
  if (selectors === 'all') {
    for (const t of topics) wanted.set(t.name, new Set(t.partitions.map((p) => p.partition)))
  } else {
    for (const s of selectors) {
      const topic = byName.get(s.topic)
      if (topic === undefined) throw new KafkitError(`topic "${s.topic}" does not exist${didYouMean(s.topic, [...byName.keys()])}`, {code: 'TOPIC_NOT_FOUND', hint: 'kafkit topics list shows what exists'})
      const have = topic.partitions.map((p) => p.partition)
      const missing = (s.partitions ?? []).filter((p) => !have.includes(p))
      if (missing.length > 0) {
        throw new KafkitError(
          `topic ${s.topic} has no partition ${missing.join(', ')} (it has ${topic.partitions.length} partition${topic.partitions.length === 1 ? '' : 's'}: ${describePartitionNumbers(have)})`,
          {code: 'PARTITION_NOT_FOUND'},
        )
      }
      const set = wanted.get(s.topic) ?? new Set<number>()
      for (const p of s.partitions ?? have) set.add(p)
      wanted.set(s.topic, set)
    }
  }
  const out: ElectionTarget[] = []
  for (const name of [...wanted.keys()].sort()) {
    const topic = byName.get(name)!
    for (const p of topic.partitions) {
      if (wanted.get(name)!.has(p.partition)) out.push({topic: name, partition: p.partition, preferred: p.replicas[0] ?? null, leader: p.leader})
    }
  }
  return out
}

export type ElectionOutcome = 'elected' | 'not-needed' | 'failed'

export interface ElectionRow extends TopicPartition {
  readonly preferred: number | null
  readonly outcome: ElectionOutcome
  /** Kafka's error name when not elected (ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ...). */
  readonly code: ErrorCode | null
  /** What happened, in words. */
  readonly detail: string
}

/** Each target's result; a partition the controller did not answer for counts as failed. */
export function electionRows(
  targets: readonly ElectionTarget[],
  results: readonly {topic: string; partition: number; error: {code: ErrorCode; message: string} | null}[],
  type: 'preferred' | 'unclean',
): ElectionRow[] {
  const byKey = new Map(results.map((r) => [`${r.topic}:${r.partition}`, r]))
  return targets.map((t) => {
    const r = byKey.get(`${t.topic}:${t.partition}`)
    const base = {topic: t.topic, partition: t.partition, preferred: t.preferred}
    if (r === undefined) return {...base, outcome: 'failed', code: 'NO_ANSWER', detail: 'the controller did not answer for this partition'}
    if (r.error === null) return {...base, outcome: 'elected', code: null, detail: type === 'preferred' ? `elected: broker ${t.preferred} leads` : 'elected (unclean)'}
    if (r.error.code === 'ELECTION_NOT_NEEDED') {
      return {...base, outcome: 'not-needed', code: r.error.code, detail: type === 'preferred' ? 'already led by its preferred replica' : 'has a leader: nothing to do'}
    }
    return {...base, outcome: 'failed', code: r.error.code, detail: `not possible: ${r.error.message}`}
  })
}

/** Partitions with a leader that is not their first replica (offline ones are counted as offline elsewhere). */
export function partitionsNotLedByPreferred(topics: readonly Pick<LiveTopic, 'partitions'>[]): number {
  let n = 0
  for (const t of topics) for (const p of t.partitions) if (p.leader >= 0 && p.replicas.length > 0 && p.leader !== p.replicas[0]) n++
  return n
}
