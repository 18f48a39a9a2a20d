/**
 * Consumer groups for people: tables shaped like kafka-consumer-groups.sh's (same column names
 * where the numbers are the same, so they can be compared by eye), plus one summary line.
 * JSON/YAML are the result objects themselves. Formatters return strings.
 */
import type {GroupDetails, GroupLagReport, GroupOffsetDeletePlan, GroupResetPlan, GroupsLagResult, GroupSummary} from '../app/groups.js'
import {UNKNOWN_GROUP_STATE} from '../core/consumer-groups.js'
import {formatLagCell, type PartitionLag, type TopicLag} from '../core/lag.js'
import type {OffsetResetRow} from '../core/offset-reset.js'
import type {TopicPartition} from '../core/topic-partition.js'
import {plural, renderKeyValues, renderTable} from './render.js'

/** `850ms`, `12s`, `3m12s`, `2h05m`, `3d4h`: a time lag at a glance. */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-'
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`
  return `${Math.floor(h / 24)}d${h % 24}h`
}

const UNKNOWN_STATE_NOTE =
  `state ${UNKNOWN_GROUP_STATE}: the group uses the KIP-848 consumer protocol, which kafkajs cannot describe (members not shown)`

/** `orders:0,1 payments:3`: an assignment in one cell. */
export function formatAssignment(partitions: readonly TopicPartition[]): string {
  const byTopic = new Map<string, number[]>()
  for (const tp of partitions) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition])
  return [...byTopic].map(([topic, ps]) => `${topic}:${ps.join(',')}`).join(' ')
}

function listCell(items: readonly string[], shown = 3): string {
  if (items.length <= shown) return items.join(',')
  return `${items.slice(0, shown).join(',')} +${items.length - shown}`
}

export function renderGroupList(groups: readonly GroupSummary[]): string {
  if (groups.length === 0) return 'no consumer groups'
  return renderTable(
    ['GROUP', 'STATE', 'PROTOCOL-TYPE', 'MEMBERS', 'TOPICS'],
    groups.map((g) => [g.group, g.state, g.protocolType, g.members, listCell(g.topics)]),
  )
}

export function renderGroupDetails(d: GroupDetails): string {
  const sections = [
    renderKeyValues([
      ['group', d.group],
      ['state', d.state],
      ['protocol', d.protocolType ? `${d.protocolType}${d.assignor ? ` (${d.assignor})` : ''}` : ''],
      ['coordinator', `${d.coordinator.host}:${d.coordinator.port} (${d.coordinator.nodeId})`],
      ['members', d.members.length],
      ['total lag', totalLagCell(d.totalLag, d.partitions)],
    ]),
  ]
  if (d.state === UNKNOWN_GROUP_STATE) sections.push(UNKNOWN_STATE_NOTE)
  if (d.members.length > 0) {
    sections.push(
      renderTable(
        ['CONSUMER-ID', 'HOST', 'CLIENT-ID', 'PARTITIONS'],
        d.members.map((m) => [m.consumerId, m.host, m.clientId, formatAssignment(m.assignment)]),
      ),
    )
  }
  if (d.partitions.length > 0) {
    sections.push(
      renderTable(
        ['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'],
        d.partitions.map((p) => [
          p.topic,
          p.partition,
          formatLagCell(p.committed),
          formatLagCell(p.logEnd),
          formatLagCell(p.lag),
          p.owner?.consumerId,
          p.owner?.host,
          p.owner?.clientId,
        ]),
      ),
    )
    sections.push(renderTable(['TOPIC', 'PARTITIONS', 'LAG'], d.topics.map((t) => [t.topic, t.partitions, topicLagCell(t)])))
  } else {
    sections.push('no committed offsets and no assigned partitions')
  }
  return sections.join('\n\n')
}

export function renderGroupsLag(result: GroupsLagResult, opts: {timeLag: boolean}): string {
  if (result.groups.length === 0) return 'no consumer groups'
  const rows = result.groups.flatMap((g: GroupLagReport) => {
    const head = [g.group, g.state, g.members]
    if (g.topics.length === 0) return [[...head, '', '', 0, ...(opts.timeLag ? [''] : [])]]
    return g.topics.map((t) => [...head, t.topic, t.partitions, topicLagCell(t), ...(opts.timeLag ? [formatAge(t.maxTimeLagMs)] : [])])
  })
  const table = renderTable(['GROUP', 'STATE', 'MEMBERS', 'TOPIC', 'PARTITIONS', 'LAG', ...(opts.timeLag ? ['TIME-LAG'] : [])], rows)
  const total = result.groups.reduce((sum, g) => sum + g.totalLag, 0)
  const lines = [table, '', `${result.groups.length} group${result.groups.length === 1 ? '' : 's'}, total lag ${total}`]
  if (result.threshold !== null) {
    lines.push(
      result.breaches.length === 0
        ? `no group's lag is above ${result.threshold}`
        : `lag above ${result.threshold}: ${result.breaches.map((b) => `${b.group} (${b.lag})`).join(', ')}`,
    )
  }
  return lines.join('\n')
}

/** The known lag, and why some partitions have none: nothing committed, or no leader to ask for the log end. */
function totalLagCell(totalLag: number, partitions: readonly PartitionLag[]): string | number {
  const offline = partitions.filter((p) => p.logEnd === null).length
  const uncommitted = partitions.filter((p) => p.logEnd !== null && p.committed === null).length
  const reasons = [
    ...(uncommitted > 0 ? [`${plural(uncommitted, 'partition')} without a committed offset`] : []),
    ...(offline > 0 ? [`${plural(offline, 'partition')} of unknown lag: no leader (offline)`] : []),
  ]
  return reasons.length === 0 ? totalLag : `${totalLag} (${reasons.join('; ')})`
}

/** A topic's known lag; with offline partitions, a lower bound, and it says so. */
function topicLagCell(t: TopicLag): string | number {
  return t.partitionsWithoutLogEnd === 0 ? t.lag : `${t.lag}+ (${t.partitionsWithoutLogEnd} offline)`
}

function clampedCell(row: OffsetResetRow): string {
  return row.clamped === null ? '' : `${row.clamped}: ${row.reason}`
}

export interface ResetOutcome {
  executed: boolean
  exportedTo: string | null
}

export function renderResetPlan(reset: GroupResetPlan, outcome: ResetOutcome): string {
  const {rows, summary} = reset.plan
  const lines: string[] = []
  if (rows.length > 0) {
    lines.push(
      renderTable(
        ['TOPIC', 'PARTITION', 'CURRENT', 'NEW', 'DELTA', 'CLAMPED'],
        rows.map((r) => [r.topic, r.partition, formatLagCell(r.current), r.new, r.delta === null ? '-' : signed(r.delta), clampedCell(r)]),
      ),
      '',
    )
  }
  const counts = `${summary.partitions} partition${summary.partitions === 1 ? '' : 's'}, ${summary.changed} changed, total delta ${signed(summary.totalDelta)}` +
    (summary.clamped > 0 ? `, ${summary.clamped} clamped` : '')
  lines.push(
    outcome.executed
      ? `reset group "${reset.group}": ${counts}; committed and read back`
      : `dry run for group "${reset.group}": ${counts}; nothing committed (add --execute to apply)`,
  )
  if (outcome.exportedTo !== null) {
    lines.push(`offsets before the reset written to ${outcome.exportedTo} (undo: --from-file ${outcome.exportedTo} --execute)`)
  }
  return lines.join('\n')
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n)
}

export function renderOffsetDeletePlan(plan: GroupOffsetDeletePlan, outcome: ResetOutcome): string {
  const lines = [renderTable(['TOPIC', 'PARTITION', 'COMMITTED OFFSET'], plan.offsets.map((o) => [o.topic, o.partition, o.offset])), '']
  const count = plural(plan.offsets.length, 'committed offset')
  lines.push(
    outcome.executed
      ? `deleted ${count} of group "${plan.group}"; read back: none left`
      : `dry run for group "${plan.group}": ${count} would be deleted; nothing deleted (add --execute to delete them)`,
  )
  if (outcome.exportedTo !== null) lines.push(`offsets before the delete written to ${outcome.exportedTo} (undo: kafkit groups reset-offsets ${plan.group} --from-file ${outcome.exportedTo} --execute)`)
  return lines.join('\n')
}
