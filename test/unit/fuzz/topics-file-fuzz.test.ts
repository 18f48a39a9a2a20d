import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {formatProblem} from '../../../src/core/problem.js'
import {lintTopicsFile} from '../../../src/core/topics-lint.js'
import {mutateYaml} from '../../fuzz-cases.js'

const EXAMPLE = readFileSync(new URL('../../../topics.yaml', import.meta.url), 'utf8')
const CASES = 3000

describe(`fuzz: ${CASES} mutated topics.yaml documents`, () => {
  it('never throws; every problem is one line with file:line:col inside the document', () => {
    let invalid = 0
    for (let seed = 1; seed <= CASES; seed++) {
      const text = mutateYaml(EXAMPLE, seed)
      const lineCount = text.split('\n').length
      let result: ReturnType<typeof lintTopicsFile>
      try {
        result = lintTopicsFile(text, 'topics.yaml', {env: seed % 2 === 0 ? 'dev' : undefined})
      } catch (error) {
        throw new Error(`seed ${seed} threw ${(error as Error).stack}\n--- document ---\n${text}`)
      }
      if (result.spec === undefined) {
        invalid++
        expect(result.problems.some((p) => p.severity === 'error'), `seed ${seed}: no spec but no error`).toBe(true)
      }
      for (const p of result.problems) {
        const line = formatProblem(p)
        expect(line, `seed ${seed}`).toMatch(/^topics\.yaml:\d+:\d+: \S/)
        expect(line.includes('\n'), `seed ${seed}: multi-line message ${JSON.stringify(line)}`).toBe(false)
        expect(p.line, `seed ${seed}: ${line}`).toBeGreaterThanOrEqual(1)
        expect(p.line, `seed ${seed}: ${line}`).toBeLessThanOrEqual(lineCount + 1)
        expect(p.col, `seed ${seed}: ${line}`).toBeGreaterThanOrEqual(1)
      }
    }
    // The mutations must actually break most documents, or this test proves little.
    expect(invalid).toBeGreaterThan(CASES / 3)
  }, 120_000)
})
