import {createRequire} from 'node:module'

import {describe, expect, it} from 'vitest'

import {keepCreateTopicsErrorMessages} from '../../../src/kafka/create-topics-error-message.js'

const require = createRequire(import.meta.url)
const Encoder = require('kafkajs/src/protocol/encoder') as new () => {
  writeInt32(n: number): unknown
  writeInt16(n: number): unknown
  writeString(s: string | null): unknown
  writeArray(items: unknown[]): unknown
  buffer: Buffer
}
type ResponseModule = {decode(raw: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown>}
const response = (version: string) => require(`kafkajs/src/protocol/requests/createTopics/${version}/response.js`) as ResponseModule

/** CreateTopics v2/v3 response bytes: throttle_time_ms, then [topic error_code error_message]. */
function responseBytes(topics: [string, number, string | null][]): Buffer {
  const encoder = new Encoder()
  encoder.writeInt32(0)
  encoder.writeArray(
    topics.map(([topic, code, message]) => {
      const item = new Encoder()
      item.writeString(topic)
      item.writeInt16(code)
      item.writeString(message)
      return item
    }),
  )
  return encoder.buffer
}

describe('keepCreateTopicsErrorMessages', () => {
  it.each(['v2', 'v3'])('%s: each per-topic error carries the broker message, kafkajs otherwise unchanged', async (version) => {
    keepCreateTopicsErrorMessages()
    keepCreateTopicsErrorMessages()
    const module = response(version)
    // 44 POLICY_VIOLATION, 38 INVALID_REPLICATION_FACTOR, 0 success.
    const raw = responseBytes([
      ['big', 44, 'Excessively large number of partitions per request.'],
      ['ok', 0, null],
      ['rf', 38, 'Unable to replicate the partition 5 time(s)'],
      ['silent', 38, null],
    ])
    const error = (await module.parse(await module.decode(raw)).catch((e: unknown) => e)) as {name: string; errors: any[]}
    expect(error.name).toBe('KafkaJSAggregateError')
    expect(error.errors.map((e) => [e.topic, e.type, e.brokerMessage])).toEqual([
      ['big', 'POLICY_VIOLATION', 'Excessively large number of partitions per request.'],
      ['rf', 'INVALID_REPLICATION_FACTOR', 'Unable to replicate the partition 5 time(s)'],
      ['silent', 'INVALID_REPLICATION_FACTOR', undefined],
    ])
    const fine = await module.decode(responseBytes([['ok', 0, null]]))
    await expect(module.parse(fine)).resolves.toEqual(fine)
  })
})
