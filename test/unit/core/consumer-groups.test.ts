import {describe, expect, it} from 'vitest'

import {
  activeGroupError,
  describeMembers,
  groupExists,
  offsetsTopicPartitionFor,
  resetTimestamp,
  visibleGroupState,
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

describe('resetTimestamp', () => {
  const now = Date.UTC(2026, 10, 1, 12)
  it('is the datetime itself, now minus the duration, or undefined', () => {
    expect(resetTimestamp({kind: 'datetime', timestamp: 5}, now)).toBe(5)
    expect(resetTimestamp({kind: 'duration', ms: 3_600_000}, now)).toBe(now - 3_600_000)
    expect(resetTimestamp({kind: 'earliest'}, now)).toBeUndefined()
    expect(resetTimestamp({kind: 'file', path: 'x'}, now)).toBeUndefined()
  })
})
