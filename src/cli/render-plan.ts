/**
 * A topic plan for people (a diff: + create, ~ change, - delete, old → new) and as Markdown for a
 * pull-request comment. JSON/YAML are the plan object itself. Formatters return strings.
 */
import type {ConfigEntryChange, PlanSummary, TopicChange, TopicPlan} from '../core/topic-plan.js'
import {groupProblems, groupTopicNames, isProblemGroup} from '../core/problem.js'
import {humaneConfigValue} from '../core/topic-configs.js'

function show(name: string, value: string | null): string {
  if (value === null) return '(unset)'
  const human = String(humaneConfigValue(name, value))
  return human === value ? value : `${value} (${human})`
}

function configLine(e: ConfigEntryChange): string {
  switch (e.action) {
    case 'set':
      return `${e.name}: ${show(e.name, e.from)}${e.fromSource ? ` [${e.fromSource}]` : ''} → ${show(e.name, e.to)}`
    case 'change':
      return `${e.name}: ${show(e.name, e.from)} → ${show(e.name, e.to)}`
    case 'remove':
      return `${e.name}: ${show(e.name, e.from)} → (remove override: not in the file; the broker's value applies)`
  }
}

/** A plan against a big shared cluster must stay readable; JSON has the full list. */
const UNMANAGED_SHOWN = 10

const SIGN: Record<TopicChange['kind'], string> = {create: '+', addPartitions: '~', replication: '~', config: '~', delete: '-'}

/** One head line and detail lines per change, shared by the text and Markdown forms. */
function changeLines(change: TopicChange): {head: string; details: string[]} {
  switch (change.kind) {
    case 'create':
      return {
        head: `create ${change.topic} (${change.partitions} partitions, RF ${change.replicationFactor})`,
        details: Object.entries(change.configs).map(([name, value]) => `${name}: ${show(name, value)}`),
      }
    case 'addPartitions':
      return {head: `${change.topic}: partitions ${change.from} → ${change.to}`, details: []}
    case 'replication':
      return {
        head: `${change.topic}: replication factor ${change.from} → ${change.to} (reassign ${change.partitions.length} partition${change.partitions.length === 1 ? '' : 's'})`,
        details: change.partitions.map((p) => `partition ${p.partition}: [${p.from.join(',')}] → [${p.to.join(',')}]`),
      }
    case 'config':
      return {head: `${change.topic}: configs`, details: change.entries.map(configLine)}
    case 'delete':
      return {head: `delete ${change.topic} (${change.partitions} partitions, RF ${change.replicationFactor}; all its data)`, details: []}
  }
}

export function planSummaryLine(summary: PlanSummary): string {
  if (summary.errors > 0) return `Plan has ${summary.errors} error${summary.errors === 1 ? '' : 's'}; nothing can be applied.`
  const changed = summary.topicsChanged - summary.create - summary.delete
  if (summary.topicsChanged === 0) return `No changes. ${summary.inSync} topic${summary.inSync === 1 ? '' : 's'} in sync.`
  return `Plan: ${summary.create} to create, ${changed} to change, ${summary.delete} to delete; ${summary.inSync} in sync.`
}

export function renderPlanText(plan: TopicPlan, summary: PlanSummary): string {
  const lines: string[] = []
  for (const change of plan.changes) {
    const {head, details} = changeLines(change)
    lines.push(`${SIGN[change.kind]} ${head}`)
    for (const d of details) lines.push(`    ${d}`)
  }
  if (plan.unmanaged.length > 0) {
    if (lines.length > 0) lines.push('')
    const shown = plan.unmanaged.slice(0, UNMANAGED_SHOWN)
    const more = plan.unmanaged.length - shown.length
    lines.push(`Unmanaged (live, not in the file, left alone): ${shown.join(', ')}${more > 0 ? ` and ${more} more (-o json lists all)` : ''}`)
  }
  if (lines.length > 0) lines.push('')
  lines.push(planSummaryLine(summary))
  return lines.join('\n')
}

/** For a pull-request comment: a summary heading and a diff block GitHub/GitLab colour. */
export function renderPlanMarkdown(plan: TopicPlan, summary: PlanSummary, opts: {file: string; alsoSummary?: string}): string {
  const where = `cluster \`${plan.clusterId}\`${plan.env ? `, env \`${plan.env}\`` : ''}, \`${opts.file}\``
  // alsoSummary: the ACLs/users/quotas verdict, so the heading never says "No changes" alone when they change.
  const out = [`### kafkit topics plan — ${planSummaryLine(summary)}${opts.alsoSummary ? ` ${opts.alsoSummary}` : ''}`, '', `Compared ${where}.`]
  if (plan.changes.length > 0) {
    out.push('', '```diff')
    for (const change of plan.changes) {
      const {head, details} = changeLines(change)
      // diff blocks colour by the first character: + green, - red, ! orange.
      const sign = change.kind === 'create' ? '+' : change.kind === 'delete' ? '-' : '!'
      out.push(`${sign} ${head}`)
      for (const d of details) out.push(`${sign}     ${d}`)
    }
    out.push('```')
  }
  if (plan.errors.length > 0) {
    out.push('', '**Errors**', '')
    // An error many topics share is one item, as on the terminal.
    for (const e of groupProblems(plan.errors)) {
      if (!isProblemGroup(e)) out.push(`- \`${e.file}:${e.line}:${e.col}\` ${e.message}`)
      else out.push(`- \`${e.first.file}:${e.first.line}:${e.first.col}\` ${e.topics.length} topics: ${e.detail} (${groupTopicNames(e, ' at this line')}; \`-o json\` lists all)`)
    }
  }
  if (plan.unmanaged.length > 0) {
    const shown = plan.unmanaged.slice(0, 100)
    const more = plan.unmanaged.length - shown.length
    out.push(
      '',
      `<details><summary>${plan.unmanaged.length} unmanaged topic(s), left alone</summary>`,
      '',
      ...shown.map((t) => `- \`${t}\``),
      ...(more > 0 ? [`- … and ${more} more`] : []),
      '',
      '</details>',
    )
  }
  return out.join('\n')
}
