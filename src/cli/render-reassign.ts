/** Text of `topics reassign`: the plan, the progress line, the outcome. */
import type {CancelReport, ReassignPlan, ReassignProgress, ReassignReport} from '../app/reassign.js'
import {formatBytes, formatRate, formatSeconds, type ThrottleLeftovers} from '../core/reassign-plan.js'
import {describePartitionNumbers} from '../core/topic-partition.js'
import {renderTable} from './render.js'

/** Move rows a person sees; -o json lists every move. */
const ROWS_SHOWN = 50

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export function renderReassignPlan(plan: ReassignPlan, opts: {execute: boolean; cancel: boolean}): string {
  const lines: string[] = []
  if (plan.inProgress.length > 0) {
    const byTopic = new Map<string, number[]>()
    for (const r of plan.inProgress) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r.partition])
    const which = [...byTopic].map(([t, ps]) => `${t}:${describePartitionNumbers(ps)}`).join(', ')
    lines.push(`In progress (started earlier): ${plural(plan.inProgress.length, 'partition')} (${which}).`)
    lines.push(
      renderTable(
        ['TOPIC', 'PARTITION', 'REPLICAS', 'ADDING', 'REMOVING'],
        plan.inProgress.slice(0, ROWS_SHOWN).map((r) => [r.topic, r.partition, r.replicas.join(','), r.adding.join(',') || '-', r.removing.join(',') || '-']),
      ),
    )
    if (plan.inProgress.length > ROWS_SHOWN) lines.push(`… and ${plan.inProgress.length - ROWS_SHOWN} more (-o json lists all)`)
    if (plan.throttle !== null && !opts.cancel) lines.push(`With --execute they are throttled at ${formatRate(plan.throttle)} until they finish.`)
  }
  if (!opts.cancel) {
    if (plan.moves.length === 0) {
      if (plan.inProgress.length === 0) lines.push(`Nothing to move: the replicas of ${plural(plan.partitions, 'partition')} are already in place.`)
    } else {
      const topics = new Set(plan.moves.map((m) => m.topic)).size
      const size = plan.bytes === null ? `bytes to copy unknown (${plan.bytesUnknown})` : `${formatBytes(plan.bytes)} to copy`
      const batches = plan.batches > 1 ? `, in ${plan.batches} batches of at most ${plan.batchSize}` : ''
      const throttle = plan.throttle === null ? ', not throttled' : `, throttled at ${formatRate(plan.throttle)}`
      lines.push(`Plan: move ${plan.moves.length} of ${plural(plan.partitions, 'partition')} of ${plural(topics, 'topic')} (${size})${batches}${throttle}.`)
      lines.push(
        renderTable(
          ['TOPIC', 'PARTITION', 'REPLICAS', 'NEW REPLICAS', 'COPY'],
          plan.moves.slice(0, ROWS_SHOWN).map((m) => [m.topic, m.partition, m.from.join(','), m.to.join(','), m.bytes === undefined ? '?' : formatBytes(m.bytes)]),
        ),
      )
      if (plan.moves.length > ROWS_SHOWN) lines.push(`… and ${plan.moves.length - ROWS_SHOWN} more (-o json lists all)`)
      if (plan.throttles && plan.throttle !== null) {
        lines.push(
          `Throttle: leader/follower.replication.throttled.rate=${plan.throttle} (${formatRate(plan.throttle)}) on brokers ${plan.throttles.brokers.join(',')}; ` +
            `leader/follower.replication.throttled.replicas on ${plural(plan.throttles.topics.length, 'topic')}; removed when the move ends.`,
        )
      }
    }
  }
  const left = leftoversText(plan.leftovers)
  if (left) lines.push(`Throttles left by an earlier move (nothing is moving there now): ${left}.`)
  if (!opts.execute) {
    if (opts.cancel) lines.push('Dry run: nothing changed. Run again with --execute to cancel these reassignments (their replicas go back).')
    else if (plan.moves.length > 0 || plan.inProgress.length > 0 || left) {
      lines.push(`Dry run: nothing changed. Run again with --execute to ${[plan.inProgress.length > 0 ? 'wait for the moves in progress' : '', left ? 'remove the leftover throttles' : '', plan.moves.length > 0 ? 'move' : ''].filter(Boolean).join(', then ')}.`)
    }
  }
  return lines.join('\n')
}

function leftoversText(l: ThrottleLeftovers): string {
  const parts: string[] = []
  if (l.brokers.length > 0) parts.push(`rates on ${l.brokers.length === 1 ? 'broker' : 'brokers'} ${l.brokers.map((b) => b.broker).join(',')}`)
  if (l.topics.length > 0) parts.push(`throttled-replica lists on ${l.topics.length <= 3 ? l.topics.map((t) => t.topic).join(', ') : plural(l.topics.length, 'topic')}`)
  return parts.join('; ')
}

export function renderReassignProgress(p: ReassignProgress): string {
  const what = p.phase === 'earlier' ? 'waiting for the move in progress' : p.phase === 'cancelling' ? 'cancelling' : 'moving'
  const parts = [`${what}: ${p.done}/${p.total} partitions`]
  if (p.batch && p.batch.count > 1) parts.push(`batch ${p.batch.index}/${p.batch.count}`)
  if (p.bytesTotal !== undefined && p.bytesMoved !== undefined) parts.push(`${formatBytes(p.bytesMoved)}/${formatBytes(p.bytesTotal)}`)
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatSeconds(p.etaSeconds)}`)
  parts.push(`${formatSeconds(p.elapsedMs / 1000)} elapsed`)
  return parts.join(', ')
}

export function renderReassignReport(r: ReassignReport): string {
  const lines: string[] = []
  const took = formatSeconds(r.elapsedMs / 1000)
  if (r.resumed > 0) lines.push(`Waited for ${plural(r.resumed, 'partition')} moved by an earlier run.`)
  if (r.moved > 0 || (r.stillMoving === 0 && r.failed.length === 0 && r.notStarted === 0)) lines.push(`Moved ${plural(r.moved, 'partition')} in ${took}.`)
  for (const f of r.failed.slice(0, 20)) lines.push(`FAILED ${f.topic}:${f.partition}: ${f.error}`)
  if (r.failed.length > 20) lines.push(`… and ${r.failed.length - 20} more failed partitions (-o json lists all)`)
  const left = leftoversText(r.leftoversRemoved)
  if (left) lines.push(`Removed throttles left by an earlier move: ${left}.`)
  if (r.throttles) {
    const where = `${r.throttles.brokers.length === 1 ? 'broker' : 'brokers'} ${r.throttles.brokers.join(',')} and ${plural(r.throttles.topics.length, 'topic')}`
    if (r.throttles.removed) lines.push(`Throttle removed from ${where}.`)
    else if (r.throttles.error) lines.push(`The throttle on ${where} could not be removed (${r.throttles.error}): run the same command again to remove it.`)
  }
  if (r.stillMoving > 0 || r.notStarted > 0) {
    const still = r.stillMoving > 0 ? `${plural(r.stillMoving, 'partition')} still moving in the cluster${r.throttle !== null && r.throttles && !r.throttles.removed ? ` (throttled at ${formatRate(r.throttle)}; the throttle stays while they move)` : ''}` : ''
    const notStarted = r.notStarted > 0 ? `${plural(r.notStarted, 'partition')} not started` : ''
    lines.push(
      `${r.interrupted ? 'Interrupted' : 'Stopped'}: ${[still, notStarted].filter(Boolean).join('; ')}. Run the same command again to ${r.stillMoving > 0 ? 'wait for them and remove the throttle' : 'continue'}${r.stillMoving > 0 ? ', or add --cancel to stop them' : ''}.`,
    )
  }
  return lines.join('\n')
}

export function renderCancelReport(r: CancelReport): string {
  const lines = [`Cancelled the reassignment of ${plural(r.cancelled.length, 'partition')}: their replicas went back, and their throttle was removed.`]
  for (const f of r.failed) lines.push(`FAILED ${f.topic}:${f.partition}: ${f.error}`)
  if (r.stillMoving > 0) lines.push(`${plural(r.stillMoving, 'partition')} still listed as moving: check again with kafkit topics reassign --topic ...`)
  const left = leftoversText(r.leftoversRemoved)
  if (left) lines.push(`Removed throttles: ${left}.`)
  return lines.join('\n')
}
