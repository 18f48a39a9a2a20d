import {describe, expect, it} from 'vitest'
import {formatDuration, formatSize, parseDuration, parseSize, parseTimestamp} from '../../../src/core/units.js'

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
