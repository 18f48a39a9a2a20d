/** The table of `kafkit topics elect-leaders`. */
import type {LeaderElectionReport} from '../app/leaders.js'
import {plural, renderTable} from './render.js'

/** Every partition named; with --all only those where something happened (or failed), then the counts. */
export function renderLeaderElection(r: LeaderElectionReport, opts: {all: boolean}): string {
  const rows = opts.all ? r.partitions.filter((p) => p.outcome !== 'not-needed') : r.partitions
  const notNeeded = r.type === 'preferred' ? 'already led by their preferred replica' : 'already have a leader'
  const summary = `${r.elected} elected, ${r.notNeeded} ${notNeeded}, ${r.failed} failed (${plural(r.partitions.length, 'partition')}, ${r.type} election)`
  if (rows.length === 0) return summary
  const table = renderTable(
    ['TOPIC', 'PARTITION', 'PREFERRED', 'RESULT'],
    rows.map((p) => [p.topic, p.partition, p.preferred, p.detail]),
  )
  return `${table}\n\n${summary}`
}
