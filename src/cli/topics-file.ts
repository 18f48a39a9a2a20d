import {Flags} from '@oclif/core'

import type {TopicsFile} from '../app/declarative-topics.js'
import {formatProblems} from '../core/problem.js'
import {KafkitError} from '../errors.js'

/** -f/--file and --env, shared by topics lint | plan | apply. */
export const topicsFileFlags = {
  file: Flags.string({char: 'f', description: 'the topics file', default: 'topics.yaml'}),
  env: Flags.string({char: 'e', description: 'apply this environments.<name> overlay'}),
}

/**
 * Prints the problems of the file to stderr (one `file:line:col: message` line each; a rule many
 * topics break is one line, see formatProblems) and fails when any is an error, so plan/apply
 * never run on a broken file.
 */
export function requireValidSpec(topicsFile: TopicsFile): NonNullable<TopicsFile['spec']> {
  const lines = formatProblems(topicsFile.problems, {listAll: 'kafkit topics lint -o json lists all'})
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`)
  if (topicsFile.spec === undefined) {
    const errors = topicsFile.problems.filter((p) => p.severity === 'error').length
    throw new KafkitError(`${topicsFile.file}: ${errors} error${errors === 1 ? '' : 's'}, nothing was planned`, {code: 'INVALID_FILE'})
  }
  return topicsFile.spec
}
