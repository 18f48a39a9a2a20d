/**
 * `topics offsets` and `topics truncate` for people: one row per partition, one summary line.
 * JSON/YAML are the result objects themselves.
 */
import type {TopicOffsetsResult} from '../app/topic-records.js'
import type {TruncatePlan, TruncateTarget} from '../core/topic-records.js'
import {plural, renderTable} from './render.js'

export function renderTopicOffsets(result: TopicOffsetsResult): string {
  const withTime = result.time !== null
  const head = ['PARTITION', 'EARLIEST', 'LATEST', 'RECORDS', ...(withTime ? ['AT TIME'] : [])]
  const rows = result.partitions.map((p) => [p.partition, p.earliest, p.latest, p.records, ...(withTime ? [p.atTime ?? '-'] : [])])
  const lines = [renderTable(head, rows)]
  const total = result.partitions.reduce((sum, p) => sum + p.records, 0)
  lines.push('', `${result.topic}: ${plural(result.partitions.length, 'partition')}, ${total} record${total === 1 ? '' : 's'} (latest - earliest, transaction markers included)`)
  if (withTime) {
    const none = result.partitions.filter((p) => p.atTime === null).length
    lines.push(
      `AT TIME: the first offset with a timestamp at or after ${result.time}` +
        (none > 0 ? `; - = no record that late in ${plural(none, 'partition')} (the next record written gets offset LATEST)` : ''),
    )
  }
  return lines.join('\n')
}

export function describeTruncateTarget(target: TruncateTarget): string {
  return target.kind === 'offset' ? `before offset ${target.offset}` : `before ${new Date(target.timestamp).toISOString()}`
}

export function renderTruncatePlan(plan: TruncatePlan, outcome: {executed: boolean}): string {
  const lines = [
    renderTable(
      ['PARTITION', 'START', 'NEW START', 'END', 'RECORDS', 'NOTE'],
      plan.rows.map((r) => [r.partition, r.start, r.newStart, r.end, r.records > 0 ? `-${r.records}` : 0, r.note ?? '']),
    ),
    '',
  ]
  const what = `${plan.topic} ${describeTruncateTarget(plan.target)}: ${plan.records} record${plan.records === 1 ? '' : 's'} in ${plural(plan.partitionsChanged, 'partition')}`
  if (outcome.executed) lines.push(`truncated ${what} deleted; log starts read back`)
  else if (plan.records === 0) lines.push(`${what}: nothing to delete`)
  else lines.push(`dry run, ${what} would be deleted; nothing deleted (add --execute to delete them)`)
  return lines.join('\n')
}
