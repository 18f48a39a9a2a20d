import {describe, expect, it} from 'vitest'

import {resetChoiceFromFlags, type ResetFlags} from '../../../src/cli/reset-flags.js'
import {KafkitError} from '../../../src/errors.js'

describe('resetChoiceFromFlags', () => {
  const scope = {topic: ['orders']}

  it.each<[string, ResetFlags, unknown]>([
    ['--to-earliest', {'to-earliest': true}, {kind: 'earliest'}],
    ['--to-latest', {'to-latest': true}, {kind: 'latest'}],
    ['--to-offset', {'to-offset': '1200'}, {kind: 'offset', offset: 1200}],
    ['--shift-by negative', {'shift-by': '-100'}, {kind: 'shift', by: -100}],
    ['--shift-by with +', {'shift-by': '+5'}, {kind: 'shift', by: 5}],
    ['--to-datetime with Z', {'to-datetime': '2026-11-01T10:00:00Z'}, {kind: 'datetime', timestamp: Date.UTC(2026, 10, 1, 10)}],
    ['--to-datetime with an offset zone', {'to-datetime': '2026-11-01T12:00:00+02:00'}, {kind: 'datetime', timestamp: Date.UTC(2026, 10, 1, 10)}],
    ['--by-duration ISO', {'by-duration': 'PT1H'}, {kind: 'duration', ms: 3_600_000}],
    ['--by-duration short', {'by-duration': '2d'}, {kind: 'duration', ms: 172_800_000}],
    ['--from-file', {'from-file': 'before.csv'}, {kind: 'file', path: 'before.csv'}],
  ])('%s', (_, flags, strategy) => {
    expect(resetChoiceFromFlags({...scope, ...flags})).toEqual({strategy, scope: [{topic: 'orders'}]})
  })

  it('takes the scope from --all-topics, or from the file alone', () => {
    expect(resetChoiceFromFlags({'all-topics': true, 'to-latest': true}).scope).toBe('all')
    expect(resetChoiceFromFlags({'from-file': 'f.csv'}).scope).toBe('file')
    expect(resetChoiceFromFlags({'from-file': 'f.csv', topic: ['a:0', 'b']}).scope).toEqual([{topic: 'a', partitions: [0]}, {topic: 'b'}])
  })

  it.each<[string, ResetFlags, string]>([
    ['no strategy', {...scope}, 'no reset strategy given'],
    ['two strategies', {...scope, 'to-earliest': true, 'shift-by': '1'}, '--to-earliest and --shift-by cannot be combined'],
    ['three strategies', {...scope, 'to-latest': true, 'to-offset': '1', 'from-file': 'f'}, '--to-latest and --to-offset and --from-file cannot be combined'],
    ['no scope', {'to-earliest': true}, 'no topics to reset'],
    ['both scopes', {...scope, 'all-topics': true, 'to-earliest': true}, '--topic and --all-topics cannot be combined'],
    ['negative offset', {...scope, 'to-offset': '-1'}, '--to-offset: "-1" is not valid'],
    ['fractional offset', {...scope, 'to-offset': '1.5'}, '--to-offset: "1.5" is not valid'],
    ['shift by words', {...scope, 'shift-by': 'ten'}, '--shift-by: "ten" is not valid'],
    ['shift beyond safe integers', {...scope, 'shift-by': '99999999999999999999'}, '--shift-by: "99999999999999999999" is not valid'],
    ['time without zone', {...scope, 'to-datetime': '2026-11-01T10:00:00'}, '--to-datetime: "2026-11-01T10:00:00" is not valid'],
    ['bad duration', {...scope, 'by-duration': 'an hour'}, '--by-duration: "an hour" is not valid'],
    ['a bad --topic', {topic: ['orders:x'], 'to-latest': true}, 'invalid topic scope "orders:x": partition "x" is not a non-negative integer'],
  ])('rejects %s with one line', (_, flags, message) => {
    const error = (() => {
      try {
        resetChoiceFromFlags(flags)
      } catch (e) {
        return e as KafkitError
      }
      throw new Error('no error')
    })()
    expect(error).toBeInstanceOf(KafkitError)
    expect(error.message).toBe(message)
    expect(error.hint).toBeTruthy()
  })

  it('treats a false boolean strategy flag as not given', () => {
    expect(resetChoiceFromFlags({...scope, 'to-earliest': false, 'to-latest': true}).strategy).toEqual({kind: 'latest'})
  })
})
