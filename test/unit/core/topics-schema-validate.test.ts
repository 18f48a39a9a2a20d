import {readFileSync} from 'node:fs'

import {Ajv} from 'ajv'
import {describe, expect, it} from 'vitest'

import {topicsValidatorSource, VALIDATOR_OPTIONS} from '../../../scripts/topics-validator-source.mjs'
import validate from '../../../src/core/topics-schema-validate.generated.js'
import {topicsFileSchema} from '../../../src/core/topics-schema.js'

const GENERATED = new URL('../../../src/core/topics-schema-validate.generated.ts', import.meta.url)

describe('the generated topics.yaml validator', () => {
  it('is exactly what the schema definition generates (run `node scripts/gen-schema.mjs` after changing it)', () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(topicsValidatorSource(topicsFileSchema))
  })

  it('reports what Ajv compiling the schema at run time reports', () => {
    const compiled = new Ajv(VALIDATOR_OPTIONS).compile(topicsFileSchema)
    const documents = [
      {version: 1, topics: [{name: 'a.b.c', partitions: 3}]},
      {version: 2, topics: [{name: 'a b', partitions: 0, replicationFactor: 'x', extra: 1, config: {'retention.ms': {}, bogus: 1}}]},
      {version: 1, topics: {}, policy: {naming: {severity: 'loud'}}, defaults: {partitions: -1}},
      {topics: [null, 1, {name: ''}]},
    ]
    for (const doc of documents) {
      const v = validate as unknown as {(d: unknown): boolean; errors?: unknown[] | null}
      expect(v(doc)).toBe(compiled(doc))
      expect(v.errors ?? null).toEqual(compiled.errors ?? null)
    }
  })
})
