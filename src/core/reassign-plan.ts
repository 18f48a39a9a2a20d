/**
 * Planning of `topics reassign` (and the throttle of `topics apply`'s replication changes), pure:
 * where each selected partition's replicas go, in which batches, which throttle configs a move
 * needs (exactly those kafka-reassign-partitions sets), which throttle configs are left over from
 * an earlier run, and the bytes a move copies.
 *
 * Placement (--brokers 1,2,3 or --balance = every broker): a replica already on a target broker
 * stays, unless its broker holds more than its share of the selected partitions' replicas; the
 * missing replicas go, one at a time, to the broker that is in a rack the partition does not use
 * yet, below its share, least loaded, lowest id (topics apply's rule for new replicas, with
 * "share" added). Shares: the selected replicas divided evenly over the target brokers, the extra
 * ones to the brokers that hold most already (fewest moves). The first replica (preferred leader)
 * stays first while it stays; a partition that loses it gets as first the replica that leads the
 * fewest partitions of the plan so far. The replication factor never changes here.
 */
import {KafkitError} from '../errors.js'
import {parseSize} from './units.js'

export interface ReassignBroker {
  nodeId: number
  rack?: string
}

export interface ReassignPartition {
  topic: string
  partition: number
  /** The replicas now (for a partition being moved, the target of that move). */
  replicas: number[]
}

export type ReassignTarget = {kind: 'brokers'; brokers: number[]} | {kind: 'balance'}

export interface PartitionMove {
  topic: string
  partition: number
  from: number[]
  to: number[]
}

export const LEADER_RATE = 'leader.replication.throttled.rate'
export const FOLLOWER_RATE = 'follower.replication.throttled.rate'
export const LEADER_REPLICAS = 'leader.replication.throttled.replicas'
export const FOLLOWER_REPLICAS = 'follower.replication.throttled.replicas'
export const THROTTLE_RATE_KEYS = [LEADER_RATE, FOLLOWER_RATE] as const
export const THROTTLE_REPLICA_KEYS = [LEADER_REPLICAS, FOLLOWER_REPLICAS] as const

const THROTTLE_FORMS = 'a rate like 50MiB/s or 500KB/s (B, KB, MB, GB, KiB, MiB, GiB per second)'

/** `50MiB/s`, `500KB/s`, `1048576` (bytes per second; `/s` optional). Refuses 0, negatives and words. */
export function parseThrottle(text: string): number {
  const trimmed = text.trim()
  const bytes = parseSize(trimmed.replace(/\s*\/\s*s(ec)?$/i, ''))
  if (bytes === undefined) throw new KafkitError(`invalid --throttle "${text}": expected ${THROTTLE_FORMS}`, {code: 'INVALID_THROTTLE'})
  if (bytes <= 0) {
    throw new KafkitError(`invalid --throttle "${text}": must be more than 0 (a rate of 0 would never finish the move; leave --throttle out for no throttle)`, {
      code: 'INVALID_THROTTLE',
    })
  }
  return bytes
}

/** `52428800` → `50MiB/s`; not exact → `1.5MiB/s`. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`
}

/** Bytes for people: 1536 → 1.5KiB, 52428800 → 50MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(value >= 100 ? 0 : 1)
  return `${text}${units[unit]}`
}

export interface ReassignPlanResult {
  moves: PartitionMove[]
  /** One line each; the plan is not usable when there are any. */
  errors: string[]
}

/** Where the selected partitions' replicas go. */
export function planReassignment(partitions: readonly ReassignPartition[], brokers: readonly ReassignBroker[], target: ReassignTarget): ReassignPlanResult {
  const known = new Map(brokers.map((b) => [b.nodeId, b]))
  const errors: string[] = []
  let targetIds: number[]
  if (target.kind === 'brokers') {
    const unknown = target.brokers.filter((id) => !known.has(id))
    if (unknown.length > 0) {
      const ids = [...known.keys()].sort((a, b) => a - b).join(', ')
      errors.push(`no broker with id ${unknown.join(', ')} in the cluster (brokers: ${ids})`)
      return {moves: [], errors}
    }
    targetIds = [...new Set(target.brokers)].sort((a, b) => a - b)
  } else {
    targetIds = [...known.keys()].sort((a, b) => a - b)
  }
  const sorted = [...partitions].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
  const tooFew = new Map<string, number>()
  for (const p of sorted) if (p.replicas.length > targetIds.length) tooFew.set(p.topic, Math.max(tooFew.get(p.topic) ?? 0, p.replicas.length))
  for (const [topic, rf] of tooFew) {
    const given = target.kind === 'brokers' ? `the ${targetIds.length} broker(s) given (--brokers ${targetIds.join(',')})` : `the ${targetIds.length} broker(s) in the cluster`
    errors.push(`topic "${topic}" has ${rf} replicas per partition, more than ${given}: each replica needs its own broker`)
  }
  if (errors.length > 0) return {moves: [], errors}

  const rackOf = (id: number) => known.get(id)?.rack
  const load = new Map(targetIds.map((id) => [id, 0]))
  const inTarget = new Set(targetIds)
  const kept = sorted.map((p) => p.replicas.filter((id) => inTarget.has(id)))
  for (const k of kept) for (const id of k) load.set(id, (load.get(id) ?? 0) + 1)

  // Shares: total / brokers each, the remainder to the brokers holding most already.
  const total = sorted.reduce((n, p) => n + p.replicas.length, 0)
  const base = Math.floor(total / targetIds.length)
  const extra = total % targetIds.length
  const share = new Map<number, number>()
  const byLoad = [...targetIds].sort((a, b) => (load.get(b) ?? 0) - (load.get(a) ?? 0) || a - b)
  byLoad.forEach((id, i) => share.set(id, base + (i < extra ? 1 : 0)))

  // Drop replicas from brokers above their share: last partitions first, never a first replica
  // unless nothing else is left to drop.
  for (const id of targetIds) {
    for (const allowFirst of [false, true]) {
      for (let i = kept.length - 1; i >= 0 && (load.get(id) ?? 0) > (share.get(id) ?? 0); i--) {
        const at = kept[i].indexOf(id)
        if (at < 0 || (at === 0 && !allowFirst)) continue
        kept[i].splice(at, 1)
        load.set(id, (load.get(id) ?? 0) - 1)
      }
    }
  }

  // Fill each partition back to its replication factor.
  const leaders = new Map<number, number>()
  const moves: PartitionMove[] = []
  sorted.forEach((p, i) => {
    const result = [...kept[i]]
    while (result.length < p.replicas.length) {
      const usedRacks = new Set(result.map(rackOf).filter((rack) => rack !== undefined))
      const candidates = targetIds.filter((id) => !result.includes(id))
      const score = (id: number) => {
        const rack = rackOf(id)
        const l = load.get(id) ?? 0
        return [rack !== undefined && usedRacks.has(rack) ? 1 : 0, l >= (share.get(id) ?? 0) ? 1 : 0, l, id]
      }
      const best = candidates.reduce((a, b) => (compareScores(score(b), score(a)) < 0 ? b : a))
      result.push(best)
      load.set(best, (load.get(best) ?? 0) + 1)
    }
    // The preferred leader stays first while it stays; otherwise the replica leading fewest.
    if (result[0] !== p.replicas[0]) {
      const first = result.includes(p.replicas[0]) ? p.replicas[0] : result.reduce((a, b) => ((leaders.get(b) ?? 0) < (leaders.get(a) ?? 0) ? b : a))
      result.splice(result.indexOf(first), 1)
      result.unshift(first)
    }
    leaders.set(result[0], (leaders.get(result[0]) ?? 0) + 1)
    if (result.length !== p.replicas.length || result.some((id, j) => id !== p.replicas[j])) {
      moves.push({topic: p.topic, partition: p.partition, from: [...p.replicas], to: result})
    }
  })
  return {moves, errors}
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

/** Moves in batches of at most `size` partitions (all at once without a size). */
export function batchMoves<T>(moves: readonly T[], size?: number): T[][] {
  if (moves.length === 0) return []
  const n = size === undefined || size <= 0 ? moves.length : size
  const out: T[][] = []
  for (let i = 0; i < moves.length; i += n) out.push(moves.slice(i, i + n))
  return out
}

/** The replicas a move adds (they copy the data). */
export function addedReplicas(move: Pick<PartitionMove, 'from' | 'to'>): number[] {
  return move.to.filter((id) => !move.from.includes(id))
}

export interface ThrottleSettings {
  /** Brokers that get the leader and follower rates: every broker of every old and new replica list. */
  brokers: number[]
  /** Per topic, the throttled-replica lists (`partition:broker,...`). */
  topics: {topic: string; leader: string; follower: string}[]
}

/**
 * What kafka-reassign-partitions sets for a throttled move: on the topics, the leader list names
 * every current replica of each moving partition (any may be the leader the new replicas copy
 * from) and the follower list the new replicas only; on every broker of the old and new lists,
 * both rates. A replica in sync is never throttled (Kafka throttles only replicas out of the ISR),
 * so throttling a whole plan at once slows only the copies.
 */
export function throttleSettings(moves: readonly PartitionMove[]): ThrottleSettings {
  const brokers = new Set<number>()
  const byTopic = new Map<string, {leader: string[]; follower: string[]}>()
  for (const m of [...moves].sort((a, b) => a.partition - b.partition)) {
    for (const id of [...m.from, ...m.to]) brokers.add(id)
    const lists = byTopic.get(m.topic) ?? {leader: [], follower: []}
    byTopic.set(m.topic, lists)
    for (const id of [...m.from].sort((a, b) => a - b)) lists.leader.push(`${m.partition}:${id}`)
    for (const id of addedReplicas(m).sort((a, b) => a - b)) lists.follower.push(`${m.partition}:${id}`)
  }
  return {
    brokers: [...brokers].sort((a, b) => a - b),
    topics: [...byTopic]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, lists]) => ({topic, leader: lists.leader.join(','), follower: lists.follower.join(',')})),
  }
}

export interface ThrottleLeftovers {
  topics: {topic: string; keys: string[]}[]
  brokers: {broker: number; keys: string[]}[]
}

/**
 * Throttle configs an earlier run left (it crashed, or was interrupted and never run again), to
 * remove now. A topic's throttled-replica lists are left over when none of its partitions is
 * moving; a broker's throttle rates when no partition of the cluster is moving at all (another
 * tool's throttled move may rely on them). Only topics the caller selected are looked at.
 */
export function throttleLeftovers(input: {
  topics: readonly {topic: string; keys: readonly string[]}[]
  brokers: readonly {broker: number; keys: readonly string[]}[]
  movingTopics: ReadonlySet<string>
  anyMoving: boolean
}): ThrottleLeftovers {
  const replicaKeys = new Set<string>(THROTTLE_REPLICA_KEYS)
  const rateKeys = new Set<string>(THROTTLE_RATE_KEYS)
  return {
    topics: input.topics
      .filter((t) => !input.movingTopics.has(t.topic))
      .map((t) => ({topic: t.topic, keys: t.keys.filter((k) => replicaKeys.has(k))}))
      .filter((t) => t.keys.length > 0),
    brokers: input.anyMoving ? [] : input.brokers.map((b) => ({broker: b.broker, keys: b.keys.filter((k) => rateKeys.has(k))})).filter((b) => b.keys.length > 0),
  }
}

/**
 * Bytes a move copies: the partition's size (its largest current replica) once per new replica;
 * undefined when a moving partition's size is not known.
 */
export function bytesToMove(moves: readonly PartitionMove[], sizeOf: (topic: string, partition: number) => number | undefined): number | undefined {
  let total = 0
  for (const m of moves) {
    const added = addedReplicas(m).length
    if (added === 0) continue
    const size = sizeOf(m.topic, m.partition)
    if (size === undefined) return undefined
    total += size * added
  }
  return total
}

/** Seconds left at the rate seen so far (bytes moved over elapsed time); undefined before any byte moved. */
export function etaSeconds(moved: number, total: number, elapsedMs: number): number | undefined {
  if (moved <= 0 || elapsedMs <= 0 || total <= moved) return moved >= total && total > 0 ? 0 : undefined
  const rate = moved / (elapsedMs / 1000)
  return Math.ceil((total - moved) / rate)
}

/** `1h02m`, `3m05s`, `42s`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}
