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
}

/** `topics.yaml:14:5: topic "orders.created": unknown config "retension.ms" (did you mean "retention.ms"?)` */
export function formatProblem(problem: Problem): string {
  const label = problem.severity === 'warning' ? 'warning: ' : ''
  return `${problem.file}:${problem.line}:${problem.col}: ${label}${problem.message}`
}

/** In file order, errors before warnings at the same place; stable for equal positions. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const rank = (p: Problem) => (p.severity === 'error' ? 0 : 1)
  return [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col || rank(a) - rank(b))
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error')
}
