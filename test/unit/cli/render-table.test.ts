import {describe, expect, it} from 'vitest'

import {renderTable, renderWithCliTable3, type Cell} from '../../../src/cli/render.js'
import {rng} from '../../fuzz-cases.js'

const cellText = (c: Cell) => (c === null || c === undefined || c === '' ? '-' : String(c))

describe('renderTable', () => {
  it('prints exactly what cli-table3 prints, for 500 random plain tables', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed)
      const columns = 1 + Math.floor(r() * 6)
      const word = () => ['', 'a', 'orders.payment.completed', '12', '-', 'x y', ' lead', 'trail ', 'CamelCase', '~!@#$%^&*()_+{}|:<>?'][Math.floor(r() * 10)]
      const head = Array.from({length: columns}, () => word().toUpperCase())
      const rows: Cell[][] = Array.from({length: Math.floor(r() * 8)}, () => Array.from({length: columns}, () => (r() < 0.1 ? null : r() < 0.2 ? Math.floor(r() * 1e6) : word())))
      expect(renderTable(head, rows), `seed ${seed}`).toBe(renderWithCliTable3(head, rows.map((row) => row.map(cellText))))
    }
  })

  it('leaves wide characters, line breaks and ANSI codes to cli-table3', () => {
    for (const cell of ['caf\u00e9', '\u4e2d\u6587', 'two\nlines', '\u001b[1mbold\u001b[22m']) {
      expect(renderTable(['A', 'B'], [[cell, 'x']])).toBe(renderWithCliTable3(['A', 'B'], [[cell, 'x']]))
    }
  })

  it('10,000 rows: linear, and the same text as cli-table3 for the first rows', () => {
    const rows = Array.from({length: 10_000}, (_, i) => [`scale.topic.t${i}`, 1 + (i % 3), 1])
    const out = renderTable(['TOPIC', 'PARTITIONS', 'RF'], rows).split('\n')
    expect(out).toHaveLength(10_001)
    expect(out.slice(0, 4).join('\n')).toBe(
      ['TOPIC              PARTITIONS  RF', 'scale.topic.t0     1           1', 'scale.topic.t1     2           1', 'scale.topic.t2     3           1'].join('\n'),
    )
  })
})
