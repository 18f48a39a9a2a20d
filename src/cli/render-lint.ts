/** `topics lint` for people: the problems (a rule many topics break is one line), then the verdict. */
import {formatProblems, type Problem} from '../core/problem.js'
import {plural} from './render.js'

export interface LintResult {
  file: string
  env?: string
  topics: number
  /** For a file with acls, users or quotas: how many of each (ACLs after expanding roles). */
  security?: {acls: number; users: number; quotas: number}
  errors: number
  warnings: number
  /** Every problem; `text` (the formatted line) in JSON/YAML output. */
  problems: (Problem & {text?: string})[]
}

export function renderLintResult(r: LintResult): string {
  return [
    // A rule many topics break is one line; -o json has every instance.
    ...formatProblems(r.problems, {listAll: '-o json lists all'}),
    `${r.file}: ${r.errors === 0 ? `${r.topics} topics${r.security ? `, ${plural(r.security.acls, 'ACL')}, ${plural(r.security.users, 'user')}, ${plural(r.security.quotas, 'quota')}` : ''} OK` : 'invalid'}; ${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`,
  ].join('\n')
}
