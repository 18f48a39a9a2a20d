/**
 * A problem found in a file (topics.yaml): where, how bad, and what. Lint, parse and plan all
 * report these, so the CLI prints every one the same way.
 */
export type Severity = 'error' | 'warning'

export interface Problem {
  file: string
  /** 1-based, like editors and compilers. */
  line: number
  col: number
  severity: Severity
  message: string
  /** Where in the document, e.g. ['topics', 3, 'config', 'retention.ms']. */
  path?: Array<string | number>
  /** The topic it is about, when the message starts `topic "NAME": `. */
  topic?: string
}

/** `topics.yaml:14:5: topic "orders.created": unknown config "retension.ms" (did you mean "retention.ms"?)` */
export function formatProblem(problem: Problem): string {
  const label = problem.severity === 'warning' ? 'warning: ' : ''
  return `${problem.file}:${problem.line}:${problem.col}: ${label}${problem.message}`
}

const rank = (p: Problem) => (p.severity === 'error' ? 0 : 1)
const compareProblems = (a: Problem, b: Problem) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col || rank(a) - rank(b)

/** In file order, errors before warnings at the same place; stable for equal positions. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  // Lint of a large file produces its problems in order already: one pass instead of a sort.
  let sorted = true
  for (let i = 1; i < problems.length && sorted; i++) sorted = compareProblems(problems[i - 1], problems[i]) <= 0
  return sorted ? [...problems] : [...problems].sort(compareProblems)
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error')
}

/** A rule broken by more topics than this is one line: the count and the first names. */
export const GROUP_ABOVE = 3

/**
 * `topic "NAME": detail`, or `topics[3]: detail` / `topics[3] detail` for an entry without a
 * usable name: the topic (or entry) and the part of the message that does not name it.
 */
const TOPIC_MESSAGE = /^(?:topic "([^"]*)": |(topics\[\d+\])(?:: | ))/

export interface ProblemGroup {
  /** The first instance, in file order: where the line points. */
  first: Problem
  severity: Severity
  /** The message without its `topic "NAME": ` prefix; the same for every topic in the group. */
  detail: string
  /** Topic names, or `topics[3]` for entries without a usable name. */
  topics: string[]
}

/**
 * Problems in file order, with those that differ only in the topic they name merged into one
 * group when more than GROUP_ABOVE topics share them (a rule broken by 5,000 topics is one
 * entry). Each entry is a problem or a group; a group stands where its first instance stood.
 */
export function groupProblems(problems: readonly Problem[]): Array<Problem | ProblemGroup> {
  type Group = {first: Problem; index: number; detail: string; topics: string[]}
  // By file and severity, then by detail: the detail is the only long key hashed.
  const groups = new Map<string, Map<string, Group>>()
  const groupOf: Array<Group | undefined> = new Array(problems.length)
  for (let index = 0; index < problems.length; index++) {
    const problem = problems[index]
    const {message} = problem
    let topic: string
    let detail: string
    if (problem.topic !== undefined && message.startsWith('topic "') && message.startsWith('": ', 7 + problem.topic.length)) {
      topic = problem.topic
      detail = message.slice(10 + topic.length)
    } else {
      const m = TOPIC_MESSAGE.exec(message)
      if (m === null) continue
      topic = m[1] ?? m[2]
      detail = message.slice(m[0].length)
    }
    const scope = `${problem.file}\u0000${problem.severity}`
    let byDetail = groups.get(scope)
    if (byDetail === undefined) groups.set(scope, (byDetail = new Map()))
    let group = byDetail.get(detail)
    if (group === undefined) byDetail.set(detail, (group = {first: problem, index, detail, topics: []}))
    group.topics.push(topic)
    groupOf[index] = group
  }
  const out: Array<Problem | ProblemGroup> = []
  for (let index = 0; index < problems.length; index++) {
    const group = groupOf[index]
    if (group === undefined || group.topics.length <= GROUP_ABOVE) out.push(problems[index])
    else if (group.index === index) out.push({first: group.first, severity: group.first.severity, detail: group.detail, topics: group.topics})
  }
  return out
}

export function isProblemGroup(entry: Problem | ProblemGroup): entry is ProblemGroup {
  return 'topics' in entry && 'first' in entry
}

/** How many names a grouped line shows. */
const NAMES_SHOWN = 3

/** `"a", "b", "c" and 4997 more`; `firstNote` follows the first name. */
export function groupTopicNames(group: ProblemGroup, firstNote = ''): string {
  const shown = group.topics.slice(0, NAMES_SHOWN).map((t, i) => `${/^topics\[\d+\]$/.test(t) ? t : `"${t}"`}${i === 0 ? firstNote : ''}`)
  const more = group.topics.length - shown.length
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}

/**
 * One line per problem, or per group of a rule many topics break:
 * `topics.yaml:4:5: warning: 5000 topics: replicationFactor 1 is below ... ("a" at this line, "b", "c" and 4997 more; -o json lists all)`.
 * The location is the first instance's: where a person starts fixing. `listAll` says where every
 * instance is listed.
 */
export function formatProblems(problems: readonly Problem[], opts: {listAll?: string} = {}): string[] {
  return groupProblems(problems).map((entry) => {
    if (!isProblemGroup(entry)) return formatProblem(entry)
    const {first} = entry
    const label = entry.severity === 'warning' ? 'warning: ' : ''
    const names = groupTopicNames(entry, ' at this line')
    return `${first.file}:${first.line}:${first.col}: ${label}${entry.topics.length} topics: ${entry.detail} (${names}${opts.listAll ? `; ${opts.listAll}` : ''})`
  })
}
