import {describe, expect, it} from 'vitest'

import {oneLineParseError, suggestFlags} from '../../../src/cli/parse-errors.js'

describe('oneLineParseError', () => {
  it.each([
    ['Parsing --partitions \n\tExpected an integer >= 1 but received: 0\nSee more help with --help', '--partitions: Expected an integer >= 1 but received: 0'],
    ['Missing 1 required arg:\ntopic  topic to read\nSee more help with --help', 'missing required argument: topic (topic to read)'],
    [
      'Missing 1 required arg:\ndlq-topic  the dead-letter topic\nNote: --error-type, --where allow multiple values. Because of this you need to provide all arguments before providing those flags.\nAlternatively, you can use "--" to signify the end of the flags and the beginning of arguments.\nSee more help with --help',
      'missing required argument: dlq-topic (the dead-letter topic)',
    ],
    ['Missing 2 required args:\ngroup  the group\ntopic  the topic', 'missing required arguments: group (the group), topic (the topic)'],
    ['Nonexistent flag: --partitons\nSee more help with --help', 'Nonexistent flag: --partitons'],
    ['The following error occurred:\n  Missing required flag partitions\nSee more help with --help', 'missing required flag --partitions (-p)'],
    [
      'The following errors occurred:\n  \u001B[2mMissing required flag partitions\n  Missing required flag replication-factor\n  Missing required flag yes\u001B[22m\nSee more help with --help',
      'missing required flags --partitions (-p), --replication-factor (-r), --yes',
    ],
    ['The following error occurred:\n  --to cannot also be provided when using --from', '--to cannot also be provided when using --from'],
  ])('%j', (message, expected) => {
    expect(oneLineParseError(message, {partitions: {char: 'p'}, 'replication-factor': {char: 'r'}, yes: {}})).toBe(expected)
  })
})

describe('suggestFlags', () => {
  const flags = ['from-beginning', 'partition', 'output', 'dry-run']
  it.each([
    ['Nonexistent flag: --dry-rn', 'Nonexistent flag: --dry-rn (did you mean "--dry-run"?)'],
    ['Nonexistent flags: --form-beginning, --partiton', 'Nonexistent flags: --form-beginning (did you mean "--from-beginning"?), --partiton (did you mean "--partition"?)'],
    ['Nonexistent flag: --outptu=json', 'Nonexistent flag: --outptu=json (did you mean "--output"?)'],
    ['Nonexistent flag: --zzz', 'Nonexistent flag: --zzz'],
    ['--partitions: Expected an integer', '--partitions: Expected an integer'],
  ])('%j', (message, expected) => {
    expect(suggestFlags(message, flags)).toBe(expected)
  })
})
