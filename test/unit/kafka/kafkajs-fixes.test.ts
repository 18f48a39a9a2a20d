import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

import {describe, expect, it} from 'vitest'

import {installKafkaJsFixes} from '../../../src/kafka/kafkajs-fixes.js'

const require = createRequire(import.meta.url)
const path = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js')

/** kafkajs's own implementation, evaluated from its file (not through the require cache). */
function original(): (args: object) => Record<number, unknown[]> {
  const module = {exports: undefined as unknown}
  new Function('module', 'exports', 'require', readFileSync(path, 'utf8'))(module, module.exports, require)
  return module.exports as (args: object) => Record<number, unknown[]>
}

describe('installKafkaJsFixes', () => {
  it('puts a linear groupMessagesPerPartition where kafkajs requires it, with the same results', () => {
    installKafkaJsFixes()
    const fixed = require(path) as (args: object) => Record<number, unknown[]>
    const kafkajs = original()
    expect(String(kafkajs)).toContain('[...current, message]')
    expect(String(fixed)).not.toContain('...current')
    const partitionMetadata = [{partitionId: 0}, {partitionId: 1}, {partitionId: 2}]
    const messages = Array.from({length: 500}, (_, i) => ({key: `k${i % 7}`, value: `v${i}`}))
    const calls: unknown[] = []
    const partitioner = ({message}: {message: {key: string}}) => {
      calls.push(message)
      return Number(message.key.slice(1)) % 3
    }
    const args = {topic: 't', partitionMetadata, messages, partitioner}
    const expected = kafkajs(args)
    const expectedCalls = calls.splice(0)
    expect(fixed(args)).toEqual(expected)
    expect(calls).toEqual(expectedCalls)
    expect(fixed({...args, partitionMetadata: []})).toEqual(kafkajs({...args, partitionMetadata: []}))
    // 50,000 messages: seconds with the quadratic original.
    expect(Object.values(fixed({...args, messages: Array.from({length: 50_000}, (_, i) => ({key: `k${i}`}))})).flat()).toHaveLength(50_000)
  })
})
