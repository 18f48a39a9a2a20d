/** oclif's parse errors as kafkit's one line: folded, without the help pointer, with did-you-mean. */
import {stripVTControlCharacters} from 'node:util'

import {didYouMean} from '../core/did-you-mean.js'

/**
 * oclif's flag/arg parse errors span lines ("Parsing --partitions \n\tExpected an integer ...\nSee
 * more help with --help"): fold them into one line and drop the help pointer and oclif's notes.
 */
export function oneLineParseError(message: string, flags: Record<string, {char?: string}> = {}): string {
  // oclif dims its validation reasons on a terminal.
  const lines = stripVTControlCharacters(message)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^See more help/.test(line) && !/^(Note:|Alternatively, you can use "--")/.test(line))
  const missing = /^Missing (\d+) required args?:$/.exec(lines[0] ?? '')
  if (missing) {
    // "Missing 1 required arg:" then "name  description" per argument.
    return missingArguments(
      lines.slice(1).map((line) => {
        const [name, ...rest] = line.split(/\s{2,}/)
        return {name, description: rest.join(' ')}
      }),
    )
  }
  if (/^The following errors? occurred:$/.test(lines[0] ?? '')) {
    // "Missing required flag partitions" per flag, among other validation failures.
    const missingFlags = lines.flatMap((line) => /^Missing required flag (\S+)$/.exec(line)?.[1] ?? [])
    const named = missingFlags.map((name) => (flags[name]?.char ? `--${name} (-${flags[name].char})` : `--${name}`))
    const others = lines.slice(1).filter((line) => !/^Missing required flag /.test(line))
    const missing = named.length === 0 ? [] : [`missing required flag${named.length === 1 ? '' : 's'} ${named.join(', ')}`]
    return [...missing, ...others].join('; ')
  }
  return lines.join(': ').replace(/^Error: /, '').replace(/^Parsing (\S+):/, '$1:')
}

export function missingArguments(args: ReadonlyArray<{name: string; description?: string}>): string {
  const named = args.map((a) => (a.description ? `${a.name} (${a.description})` : a.name))
  return `missing required argument${args.length === 1 ? '' : 's'}: ${named.join(', ')}`
}

/** "Nonexistent flag: --dry-rn" gains ` (did you mean "--dry-run"?)` for each flag close to a real one. */
export function suggestFlags(message: string, flagNames: readonly string[]): string {
  const m = /^Nonexistent flags?: (.+)$/.exec(message)
  if (!m) return message
  const candidates = flagNames.map((name) => `--${name}`)
  return `Nonexistent flag${m[1].includes(',') ? 's' : ''}: ${m[1]
    .split(', ')
    .map((flag) => `${flag}${didYouMean(flag.split('=')[0], candidates)}`)
    .join(', ')}`
}
