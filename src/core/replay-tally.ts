/** The summary of a `dlq replay` run: decisions counted in constant memory. Pure. */
import type {ReplayDecision} from './dlq-replay.js'
import type {ConsumedRecord} from './record.js'

/** A record that was not replayed or parked and stays only in the DLQ. */
export interface ReplayProblem {
  partition: number
  offset: string
  action: 'undecodable' | 'refused'
  reason: string
}

export interface ReplayDestination {
  topic: string
  action: 'replay' | 'park'
  count: number
}

export interface ReplayCounts {
  /** DLQ records looked at in this run. */
  read: number
  replayed: number
  parked: number
  filtered: number
  undecodable: number
  refused: number
  /** Sorted by topic, then action. */
  destinations: ReplayDestination[]
  /** The first problems (up to the tally's limit), in the order met. */
  problems: ReplayProblem[]
}

/** Counts decisions for the summary, in constant memory (destinations grow with topics, not records). */
export class ReplayTally {
  private readonly counts = {read: 0, replayed: 0, parked: 0, filtered: 0, undecodable: 0, refused: 0}
  private readonly destinations = new Map<string, ReplayDestination>()
  private readonly problems: ReplayProblem[] = []

  constructor(private readonly problemLimit = 20) {}

  /** Records decided so far that were replayed or parked: what --max counts. */
  get selected(): number {
    return this.counts.replayed + this.counts.parked
  }

  add(record: ConsumedRecord, decision: ReplayDecision): void {
    if (decision.action === 'limit-reached') return
    this.counts.read++
    switch (decision.action) {
      case 'replay':
      case 'park': {
        if (decision.action === 'replay') this.counts.replayed++
        else this.counts.parked++
        const key = `${decision.message.topic}\u0000${decision.action}`
        const destination = this.destinations.get(key) ?? {topic: decision.message.topic, action: decision.action, count: 0}
        destination.count++
        this.destinations.set(key, destination)
        break
      }
      case 'filtered':
        this.counts.filtered++
        break
      case 'undecodable':
      case 'refused':
        this.counts[decision.action]++
        if (this.problems.length < this.problemLimit) {
          this.problems.push({partition: record.partition, offset: record.offset, action: decision.action, reason: decision.reason})
        }
        break
    }
  }

  result(): ReplayCounts {
    const destinations = [...this.destinations.values()]
      .map((d) => ({...d}))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.action.localeCompare(b.action))
    return {...this.counts, destinations, problems: [...this.problems]}
  }
}
