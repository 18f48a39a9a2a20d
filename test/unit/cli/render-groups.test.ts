import {describe, expect, it} from 'vitest'

import {formatAge} from '../../../src/cli/render-groups.js'

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
