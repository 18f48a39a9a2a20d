import {describe, expect, it} from 'vitest'

import {parseOffsetFlag, parsePartitionFlags, parseTimeFlag} from '../../../src/cli/topic-records-flags.js'
import {kafkitErrorOf} from '../kafkit-error.js'

const NOW = Date.parse('2026-11-30T12:00:00Z')

describe('parsePartitionFlags', () => {
  it.each([
    [undefined, undefined],
    [[], undefined],
    [['0'], [0]],
    [['2,0', '5'], [0, 2, 5]],
    [['0-3'], [0, 1, 2, 3]],
    [['1', '1,1'], [1]],
  ])('%j → %j', (values, expected) => {
    expect(parsePartitionFlags(values as string[] | undefined)).toEqual(expected)
  })

  it.each(['x', '-1', '1.5', '', '2147483648', '99999999999999999999', '3-1'])('refuses %j in one line', (value) => {
    const e = kafkitErrorOf(() => parsePartitionFlags([value]))
    expect(e.message).toMatch(/^-p: /)
    expect(e.message).not.toContain('\n')
  })
})

describe('parseTimeFlag', () => {
  it('takes ISO with a zone, epoch millis and a duration ago', () => {
    expect(parseTimeFlag('time', '2026-11-01T10:00:00+02:00', NOW)).toBe(Date.parse('2026-11-01T08:00:00Z'))
    expect(parseTimeFlag('time', '1764500000000', NOW)).toBe(1764500000000)
    expect(parseTimeFlag('time', '1h', NOW)).toBe(NOW - 3_600_000)
  })
  it.each(['2026-11-01T10:00:00', '2026-11-01', '2026-11-01 10:00'])('refuses the zone-less %j in one line', (value) => {
    const e = kafkitErrorOf(() => parseTimeFlag('time', value, NOW))
    expect(e.message).toBe(`--time: "${value}" has no zone`)
    expect(e.hint).toContain('Z')
  })
  it('refuses a date that does not exist and garbage', () => {
    expect(kafkitErrorOf(() => parseTimeFlag('to-time', '2026-02-30T00:00:00Z', NOW)).hint).toContain('February 2026 has 28 days')
    expect(kafkitErrorOf(() => parseTimeFlag('to-time', 'yesterday', NOW)).message).toBe('--to-time: "yesterday" is not a time')
  })
})

describe('parseOffsetFlag', () => {
  it('takes a non-negative integer', () => {
    expect(parseOffsetFlag('before-offset', ' 1200 ')).toBe(1200)
  })
  it.each(['-1', '1e3', 'ten', '99999999999999999999'])('refuses %j', (value) => {
    expect(kafkitErrorOf(() => parseOffsetFlag('before-offset', value)).message).toBe(`--before-offset: "${value}" is not an offset`)
  })
})
