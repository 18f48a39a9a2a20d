/** What `topics apply` did, for people: counts, failures grouped, and whether the topics are now in sync. */
import type {ChangeFailure} from '../app/declarative-topics.js'
import {GROUP_ABOVE} from '../core/problem.js'
import type {PlanSummary, TopicChange} from '../core/topic-plan.js'
import type {SecurityFailure, SecurityItemResult} from '../app/declarative-security.js'
import type {SecurityChange, SecuritySummary} from '../core/security-plan.js'
import {securityApplyLines} from './render-security-plan.js'

export interface ApplyOutput {
  file: string
  planned: PlanSummary
  applied: {topic: string; kind: TopicChange['kind']}[]
  failed: ChangeFailure[]
  /** The plan again after applying: what is still not in sync (normally nothing). */
  remaining: {summary: PlanSummary; changes: TopicChange[]} | {error: string}
  /** ACLs, credentials and quotas, for a file that declares them. */
  security?: {
    planned: SecuritySummary
    applied: SecurityItemResult[]
    failed: SecurityFailure[]
    remaining: {summary: SecuritySummary; changes: SecurityChange[]} | {error: string}
  }
}

/** The outcome lines, then the re-plan's verdict. */
export function renderApplyResult(r: ApplyOutput): string {
  const lines = applyOutcomeLines(r.applied, r.failed)
  const {remaining} = r
  if ('error' in remaining) lines.push(`could not plan again after applying: ${remaining.error}`)
  else if (remaining.changes.length > 0) lines.push(`${remaining.summary.inSync} topics in sync; ${remaining.summary.topicsChanged} still differ (run kafkit topics plan)`)
  // A reassignment that did not finish already shows its target replicas in metadata.
  else if (r.failed.length > 0) lines.push(`${remaining.summary.inSync} topics match the file by metadata, but ${r.failed.length} change(s) failed: fix the cause and run apply again`)
  else lines.push(`${remaining.summary.inSync} topics in sync.`)
  if (r.security) lines.push(...securityApplyLines(r.security))
  return lines.join('\n')
}

const STEPS: TopicChange['kind'][] = ['create', 'addPartitions', 'replication', 'config', 'delete']
/** Failure lines a human sees before the rest is only counted (every failure is in -o json). */
const FAILURE_LINES = 20
const NAMES_SHOWN = 3

/**
 * What apply did, for a human, in O(steps + distinct failures) lines: the count of applied
 * changes, the counts per step when a step failed or several ran, and the failures. A failure line
 * names its own topic and reason; a reason shared by more than GROUP_ABOVE topics of a step is
 * one line with the count and the first names (10,000 topics without leaders are one line).
 */
export function applyOutcomeLines(applied: ApplyOutput['applied'], failed: ChangeFailure[]): string[] {
  const lines = [`Applied ${applied.length} change(s).`]
  const done = new Map<string, number>()
  const failing = new Map<string, number>()
  for (const a of applied) done.set(a.kind, (done.get(a.kind) ?? 0) + 1)
  for (const f of failed) failing.set(f.kind, (failing.get(f.kind) ?? 0) + 1)
  const steps = STEPS.filter((k) => done.has(k) || failing.has(k))
  if (failed.length > 0 || steps.length > 1) {
    lines.push(`By step: ${steps.map((k) => `${k} ${done.get(k) ?? 0} applied${failing.has(k) ? `, ${failing.get(k)} failed` : ''}`).join('; ')}.`)
  }
  const groups = new Map<string, {kind: string; error: string; topics: string[]}>()
  for (const f of failed) {
    const key = `${f.kind}\u0000${f.error}`
    const group = groups.get(key)
    if (group) group.topics.push(f.topic)
    else groups.set(key, {kind: f.kind, error: f.error, topics: [f.topic]})
  }
  const failureLines: {text: string; count: number}[] = []
  for (const g of groups.values()) {
    if (g.topics.length > GROUP_ABOVE) {
      const names = g.topics.slice(0, NAMES_SHOWN).map((t) => `"${t}"`).join(', ')
      const text = `FAILED ${g.kind} of ${g.topics.length} topics: ${g.error} (${names} and ${g.topics.length - NAMES_SHOWN} more; -o json lists all)`
      failureLines.push({text, count: g.topics.length})
    } else {
      for (const topic of g.topics) failureLines.push({text: `FAILED ${g.kind} ${topic}: ${g.error}`, count: 1})
    }
  }
  const shown = failureLines.slice(0, FAILURE_LINES)
  lines.push(...shown.map((l) => l.text))
  const notShown = failed.length - shown.reduce((n, l) => n + l.count, 0)
  if (notShown > 0) lines.push(`… and ${notShown} more failed change(s) (-o json lists all)`)
  return lines
}
