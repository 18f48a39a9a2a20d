import {describe, expect, it} from 'vitest'

import {
  activeGroupError,
  describeMembers,
  formatAge,
  groupExists,
  offsetsTopicPartitionFor,
  resetChoiceFromFlags,
  resetTimestamp,
  visibleGroupState,
  type ResetFlags,
} from '../../../src/core/consumer-groups.js'
import {KafkitError} from '../../../src/errors.js'

describe('offsetsTopicPartitionFor (Kafka: Utils.abs(groupId.hashCode()) % partitions)', () => {
  it.each<[string, number, number]>([
    // Java: "abc".hashCode() == 96354; 96354 % 50 == 4.
    ['abc', 50, 4],
    // Java: "console-consumer-12345".hashCode() == 158455506; % 50 == 6.
    ['console-consumer-12345', 50, 6],
    // Java: "kafkit".hashCode() == -1138921722 (negative) → abs 1138921722 % 10 == 2.
    ['kafkit', 10, 2],
    // Java: "billing".hashCode() == -109829509 → 109829509 % 50 == 9.
    ['billing', 50, 9],
    // Java: "polygenelubricants".hashCode() == Integer.MIN_VALUE, which Utils.abs maps to 0.
    ['polygenelubricants', 50, 0],
    ['', 50, 0],
    // Characters outside ASCII count as UTF-16 code units, as in Java ("é" is 233).
    ['é', 10, 3],
    // A surrogate pair is two code units: "😀" is \ud83d\ude00 → 55357 * 31 + 56832 = 1772899 → % 10 = 9.
    ['😀', 10, 9],
  ])('%s over %i partitions → %i', (group, partitions, expected) => {
    expect(offsetsTopicPartitionFor(group, partitions)).toBe(expected)
  })

  it('rejects a non-positive partition count', () => {
    expect(() => offsetsTopicPartitionFor('g', 0)).toThrow()
  })
})

describe('group state and existence', () => {
  it('shows Dead for an unknown group, Unknown for one DescribeGroups v2 cannot see', () => {
    expect(visibleGroupState('Dead', false)).toBe('Dead')
    expect(visibleGroupState('Dead', true)).toBe('Unknown')
    expect(visibleGroupState('Stable', true)).toBe('Stable')
  })

  it('a group exists when it is not Dead or holds offsets', () => {
    expect(groupExists('Dead', 0)).toBe(false)
    expect(groupExists('Dead', 3)).toBe(true)
    expect(groupExists('Empty', 0)).toBe(true)
  })
})

describe('naming active members', () => {
  const member = (i: number) => ({consumerId: `c-${i}`, clientId: `client-${i}`, host: `/10.0.0.${i}`})

  it('names each member with client and host, at most five', () => {
    expect(describeMembers([member(1)])).toBe('c-1 (client client-1, host /10.0.0.1)')
    const seven = describeMembers([1, 2, 3, 4, 5, 6, 7].map(member))
    expect(seven).toMatch(/^c-1 .*c-5 \(client client-5, host \/10\.0\.0\.5\), and 2 more$/)
  })

  it('is one line with the action, the count and a hint', () => {
    const error = activeGroupError('orders-app', [member(1), member(2)], 'reset offsets of')
    expect(error).toBeInstanceOf(KafkitError)
    expect(error.code).toBe('GROUP_ACTIVE')
    expect(error.message).toBe('cannot reset offsets of group "orders-app": it has 2 active members: c-1 (client client-1, host /10.0.0.1), c-2 (client client-2, host /10.0.0.2)')
    expect(error.message).not.toContain('\n')
    expect(error.hint).toMatch(/session times out/)
  })
})

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

describe('resetTimestamp', () => {
  const now = Date.UTC(2026, 10, 1, 12)
  it('is the datetime itself, now minus the duration, or undefined', () => {
    expect(resetTimestamp({kind: 'datetime', timestamp: 5}, now)).toBe(5)
    expect(resetTimestamp({kind: 'duration', ms: 3_600_000}, now)).toBe(now - 3_600_000)
    expect(resetTimestamp({kind: 'earliest'}, now)).toBeUndefined()
    expect(resetTimestamp({kind: 'file', path: 'x'}, now)).toBeUndefined()
  })
})

describe('formatAge', () => {
  it.each<[number | null, string]>([
    [null, '-'],
    [0, '0ms'],
    [850, '850ms'],
    [12_000, '12s'],
    [192_000, '3m12s'],
    [65_000, '1m05s'],
    [7_500_000, '2h05m'],
    [273_600_000, '3d4h'],
  ])('%s → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text)
  })
})
