/**
 * DLQ inspection and replay summaries for people. JSON/YAML are the result objects themselves.
 */
import type {DlqInspectResult, ReplayProgress, ReplaySummary} from '../app/dlq.js'
import type {JsonBytes} from '../core/json-bytes.js'
import {plural, renderKeyValues, renderTable} from './render.js'

const iso = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString())

function shortBytes(bytes: JsonBytes | null | unknown, width = 40): string {
  if (bytes === null) return 'null'
  // A value decoded with a registry schema: its JSON.
  if (typeof bytes !== 'string' && typeof (bytes as {base64?: unknown})?.base64 !== 'string') return shortBytes(JSON.stringify(bytes), width)
  // One line per row: control characters escaped as in JSON, everything else as it is.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const text = typeof bytes === 'string' ? bytes.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1)) : `base64:${(bytes as {base64: string}).base64}`
  return text.length > width ? `${text.slice(0, width - 1)}…` : text
}

export function renderInspection(r: DlqInspectResult): string {
  const sections = [
    renderKeyValues([
      ['dlq', `${r.topic} (${plural(r.partitions, 'partition')})`],
      ['records', `${r.undecodable > 0 ? `${r.records} (${r.undecodable} undecodable)` : r.records}${r.where === undefined ? '' : ` matching --where, of ${r.where.scanned} read`}`],
      ['formats', r.formats.map((f) => `${f.format} ${f.count}`).join(', ')],
      ['first failure', iso(r.firstFailureAt)],
      ['last failure', iso(r.lastFailureAt)],
    ]),
  ]
  if (r.originalTopics.length > 0) sections.push(renderTable(['ORIGINAL-TOPIC', 'RECORDS'], r.originalTopics.map((t) => [t.topic, t.count])))
  if (r.errorTypes.length > 0) sections.push(renderTable(['ERROR-TYPE', 'RECORDS'], r.errorTypes.map((e) => [e.errorType ?? '(none)', e.count])))
  if (r.retryCounts.length > 0) sections.push(renderTable(['RETRIES', 'RECORDS'], r.retryCounts.map((c) => [c.retryCount, c.count])))
  if (r.samples.length > 0) {
    sections.push(
      renderTable(
        ['SAMPLE', 'FAILED-AT', 'ORIGINAL', 'ERROR-TYPE', 'ERROR', 'RETRIES', 'KEY', 'VALUE'],
        r.samples.map((s) => [
          `${s.partition}@${s.offset}`,
          iso(s.failedAt),
          `${s.originalTopic}${s.originalPartition === undefined ? '' : `:${s.originalPartition}`}${s.originalOffset === undefined ? '' : `@${s.originalOffset}`}`,
          s.errorType ?? '(none)',
          s.errorMessage === undefined ? '' : shortBytes(s.errorMessage, 40),
          s.retryCount,
          shortBytes(s.key, 20),
          shortBytes(s.value),
        ]),
      ),
    )
  }
  if (r.undecodableSamples.length > 0) {
    sections.push(renderTable(['UNDECODABLE', 'REASON'], r.undecodableSamples.map((u) => [`${u.partition}@${u.offset}`, u.reason])))
  }
  return sections.join('\n\n')
}

export function renderReplaySummary(s: ReplaySummary): string {
  const would = s.dryRun ? 'would be ' : ''
  const sections = [
    renderKeyValues([
      ['dlq', s.dlqTopic],
      ['replay group', s.group],
      ['mode', s.dryRun ? 'dry run (nothing written, no progress committed)' : 'replay'],
      ['pending at start', s.pending],
      ['read', s.stoppedAtMax ? `${s.read} (stopped at --max)` : s.interrupted ? `${s.read} (interrupted; run again to continue)` : s.read],
      [`${would}replayed`, s.replayed],
      [`${would}parked`, s.parked],
      ['filtered', s.filtered],
      ['undecodable', s.undecodable],
      ['refused (loop)', s.refused],
    ]),
  ]
  if (s.destinations.length > 0) {
    sections.push(renderTable(['DESTINATION', 'ACTION', 'RECORDS'], s.destinations.map((d) => [d.topic, d.action, d.count])))
  }
  if (s.missingTopics.length > 0) {
    sections.push(`destination topic(s) missing: ${s.missingTopics.join(', ')} — a replay stops at the first record for them; create them or use --to`)
  }
  if (s.problems.length > 0) {
    const more = s.undecodable + s.refused - s.problems.length
    sections.push(
      renderTable(
        ['LEFT-IN-DLQ', 'WHY', 'REASON'],
        s.problems.map((p) => [`${p.partition}@${p.offset}`, p.action, p.reason]),
      ) + (more > 0 ? `\n… and ${more} more` : ''),
    )
  }
  return sections.join('\n\n')
}

/** One progress line for a terminal (rewritten in place with \r). */
export function renderReplayProgress(p: ReplayProgress, width = 24): string {
  const done = p.pending === 0 ? 1 : Math.min(1, p.read / p.pending)
  const filled = Math.round(done * width)
  const failed = p.undecodable + p.refused
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.read}/${p.pending}  replayed ${p.replayed}  parked ${p.parked}  filtered ${p.filtered}${failed > 0 ? `  failed ${failed}` : ''}`
}
