import {describe, expect, it} from 'vitest'

import {chunked, forEachConcurrently} from '../../../src/core/concurrency.js'

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('forEachConcurrently', () => {
  it('runs every item, never more than the limit at once, starting them in order', async () => {
    let inFlight = 0
    let most = 0
    const started: number[] = []
    await forEachConcurrently(Array.from({length: 50}, (_, i) => i), 4, async (i) => {
      started.push(i)
      inFlight++
      most = Math.max(most, inFlight)
      await tick()
      inFlight--
    })
    expect(started).toEqual(Array.from({length: 50}, (_, i) => i))
    expect(most).toBe(4)
  })

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = []
    const run = forEachConcurrently([0, 1, 2, 3, 4, 5, 6, 7], 2, async (i) => {
      started.push(i)
      await tick()
      if (i === 1) throw new Error('boom at 1')
    })
    await expect(run).rejects.toThrow('boom at 1')
    expect(started).toEqual([0, 1, 2])
  })

  it('handles no items and a limit above the item count', async () => {
    await forEachConcurrently([], 8, async () => {
      throw new Error('never called')
    })
    const seen: string[] = []
    await forEachConcurrently(['a', 'b'], 100, async (s) => void seen.push(s))
    expect(seen).toEqual(['a', 'b'])
  })
})

describe('chunked', () => {
  it('cuts into consecutive slices of at most the size', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunked([], 3)).toEqual([])
  })
})
