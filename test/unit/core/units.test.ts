import {describe, expect, it} from 'vitest'
import {formatDuration, formatSize, nonexistentTime, parseDuration, parseSize, parseTimestamp} from '../../../src/core/units.js'

describe('parseDuration', () => {
  it.each([
    ['500ms', 500], ['30s', 30_000], ['15m', 900_000], ['12h', 43_200_000], ['7d', 604_800_000],
    ['2w', 1_209_600_000], ['1h30m', 5_400_000], ['PT1H', 3_600_000], ['P2D', 172_800_000],
    ['P1DT12H', 129_600_000], ['pt15m', 900_000], ['1.5h', 5_400_000],
  ])('%s → %d', (text, ms) => expect(parseDuration(text)).toBe(ms))
  it.each(['', 'abc', '7', '7 days', 'P', 'PT', '1h x', '-1h'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeUndefined())
})

describe('parseSize', () => {
  it.each([
    ['512KiB', 524_288], ['1GiB', 1_073_741_824], ['100MB', 100_000_000], ['1048576', 1_048_576], ['2B', 2],
  ])('%s → %d', (text, n) => expect(parseSize(text)).toBe(n))
  it.each(['', '1 GiBs', 'lots', '-5'])('rejects %j', (text) => expect(parseSize(text)).toBeUndefined())
})

describe('format', () => {
  it('round-trips', () => {
    expect(formatDuration(604_800_000)).toBe('1w')
    expect(formatDuration(86_400_000)).toBe('1d')
    expect(formatDuration(1500)).toBe('1500ms')
    expect(formatSize(1_073_741_824)).toBe('1GiB')
    expect(formatSize(1000)).toBe('1000')
  })
})

describe('parseTimestamp', () => {
  const now = Date.parse('2026-11-22T12:00:00Z')
  it('reads ISO with zone, epoch ms and durations ago', () => {
    expect(parseTimestamp('2026-11-01T10:00:00Z', now)).toBe(Date.parse('2026-11-01T10:00:00Z'))
    expect(parseTimestamp('2026-11-01T12:00:00+02:00', now)).toBe(Date.parse('2026-11-01T10:00:00Z'))
    expect(parseTimestamp('1700000000000', now)).toBe(1_700_000_000_000)
    expect(parseTimestamp('1h', now)).toBe(now - 3_600_000)
    expect(parseTimestamp('PT1H', now)).toBe(now - 3_600_000)
  })
  it('rejects zone-less and garbage', () => {
    expect(parseTimestamp('2026-11-01T10:00:00', now)).toBeUndefined()
    expect(parseTimestamp('yesterday', now)).toBeUndefined()
  })
})

describe('dates and times that do not exist', () => {
  const now = Date.parse('2026-11-22T12:00:00Z')
  it.each([
    ['2026-02-30T00:00:00Z', '2026-02-30 does not exist (February 2026 has 28 days)'],
    ['2026-04-31T10:00:00+02:00', '2026-04-31 does not exist (April 2026 has 30 days)'],
    ['2025-02-29T00:00:00Z', '2025-02-29 does not exist (February 2025 has 28 days)'],
    ['1900-02-29T00:00:00Z', '1900-02-29 does not exist (February 1900 has 28 days)'],
    ['2026-01-00T00:00:00Z', '2026-01-00 does not exist (January 2026 has 31 days)'],
    ['2026-13-01T00:00:00Z', 'month 13 does not exist (01-12)'],
    ['2026-01-01T24:00:00Z', 'hour 24 does not exist (00-23)'],
    ['2026-01-01T23:60Z', 'minute 60 does not exist (00-59)'],
    ['2026-01-01T23:59:60Z', 'second 60 does not exist (00-59)'],
    ['2026-01-01T10:00:00+19:00', 'zone offset 19:00 does not exist (at most 18:00)'],
  ])('%s: %s', (text, reason) => {
    expect(nonexistentTime(text)).toBe(reason)
    expect(parseTimestamp(text, now)).toBeUndefined()
  })
  it.each(['2024-02-29T00:00:00Z', '2000-02-29T23:59:59.999Z', '2026-12-31T23:59:59-12:00', '2026-06-30T00:00+0530'])('%s exists', (text) => {
    expect(nonexistentTime(text)).toBeUndefined()
    expect(parseTimestamp(text, now)).toBe(Date.parse(text.replace(/\+0530$/, '+05:30')))
  })
  it('refuses instants beyond what a Date holds; before 1970 is 1970', () => {
    expect(parseTimestamp('99999999999999999999', now)).toBeUndefined()
    expect(parseTimestamp('8640000000000000', now)).toBe(8.64e15)
    expect(parseTimestamp('100000w', now)).toBe(0)
    expect(parseTimestamp('1969-12-31T00:00:00Z', now)).toBe(0)
  })
})
