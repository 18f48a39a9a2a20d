import {readFileSync} from 'node:fs'
import {Ajv} from 'ajv'
import {parse} from 'yaml'
import {describe, expect, it} from 'vitest'
import {TOPIC_CONFIG_NAMES} from '../../../src/core/topic-configs.js'
import {TOPIC_NAME_PATTERN, topicsFileSchema, topicsJsonSchemaText} from '../../../src/core/topics-schema.js'

const committed = readFileSync(new URL('../../../schema/topics.schema.json', import.meta.url), 'utf8')

describe('schema/topics.schema.json', () => {
  it('is exactly what the definition generates (run `node scripts/gen-schema.mjs` after changing it)', () => {
    expect(committed).toBe(topicsJsonSchemaText())
  })

  it('compiles under ajv strict mode, as the parser uses it', () => {
    expect(() => new Ajv({strict: true, allowUnionTypes: true}).compile(JSON.parse(committed))).not.toThrow()
  })

  it('offers every topic config to editors, and nothing else', () => {
    const config = (topicsFileSchema.definitions as Record<string, {properties: object; additionalProperties: boolean}>).config
    expect(Object.keys(config.properties)).toEqual(TOPIC_CONFIG_NAMES)
    expect(config.additionalProperties).toBe(false)
  })

  it('accepts the example topics.yaml and every valid fixture, as an editor would', () => {
    const validate = new Ajv({allowUnionTypes: true}).compile(JSON.parse(committed))
    for (const file of ['../../../topics.yaml', '../../fixtures/topics/valid-minimal.yaml', '../../fixtures/topics/valid-layers.yaml']) {
      const ok = validate(parse(readFileSync(new URL(file, import.meta.url), 'utf8')))
      expect(validate.errors ?? [], file).toEqual([])
      expect(ok).toBe(true)
    }
  })

  it.each([
    ['orders.payment.completed', true], ['_schemas', true], ['a-b_c.D9', true], ['x'.repeat(249), true],
    ['x'.repeat(250), false], ['.', false], ['..', false], ['...', true], ['with space', false], ['ünïcode', false], ['', false],
  ])('topic name %j valid: %s', (name, valid) => expect(new RegExp(TOPIC_NAME_PATTERN).test(name)).toBe(valid))
})
