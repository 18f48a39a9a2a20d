import {describe, expect, it} from 'vitest'

import {parseTopicsSpec} from '../../../src/core/topics-spec.js'

describe('keySchema / valueSchema in topics.yaml', () => {
  it('are read with where they are written; a topic without them has none', () => {
    const text = 'version: 1\ndefaults: {partitions: 1, replicationFactor: 1}\ntopics:\n  - name: a.b.c\n    keySchema: a.b.c-key\n    valueSchema: a.b.c-value\n  - name: d.e.f\n'
    const {spec, problems} = parseTopicsSpec(text, 'topics.yaml')
    expect(problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(spec!.topics[0].schemas).toEqual([
      {field: 'keySchema', subject: 'a.b.c-key', location: {line: 5, col: 16}},
      {field: 'valueSchema', subject: 'a.b.c-value', location: {line: 6, col: 18}},
    ])
    expect(spec!.topics[1].schemas).toBeUndefined()
  })

  it('must be non-empty strings', () => {
    const {problems} = parseTopicsSpec('version: 1\ntopics:\n  - name: a.b.c\n    partitions: 1\n    replicationFactor: 1\n    valueSchema: 3\n', 'topics.yaml')
    expect(problems.map((p) => [p.line, p.severity])).toContainEqual([6, 'error'])
  })
})
