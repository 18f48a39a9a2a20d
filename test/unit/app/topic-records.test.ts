import {describe, expect, it} from 'vitest'

import type {KafkaClient} from '../../../src/app/kafka-client.js'
import {executeTopicTruncate, planTopicTruncate, topicOffsets} from '../../../src/app/topic-records.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

/** events: partition 0 with offsets 0-9 (timestamps 0..9 s), partition 1 with 0-3, partition 2 empty. */
function cluster(): FakeKafka {
  const fake = new FakeKafka()
  fake.addTopic('events', {partitions: 3})
  fake.append('events', 0, Array.from({length: 10}, (_, i) => ({value: `e${i}`, timestamp: i * 1000})))
  fake.append('events', 1, Array.from({length: 4}, (_, i) => ({value: `f${i}`, timestamp: i * 1000})))
  fake.deleteRecordsBefore('events', 0, 2)
  return fake
}

describe('topicOffsets', () => {
  it('log start, end and records per partition, with the offset for a time (null where nothing is at or after it)', async () => {
    const fake = cluster()
    const result = await topicOffsets(fake.client(), {topic: 'events', timestamp: 3000})
    expect(result.time).toBe('1970-01-01T00:00:03.000Z')
    expect(result.partitions).toEqual([
      {partition: 0, earliest: 2, latest: 10, records: 8, atTime: 3},
      {partition: 1, earliest: 0, latest: 4, records: 4, atTime: 3},
      {partition: 2, earliest: 0, latest: 0, records: 0, atTime: null},
    ])
    // One read per kind of offset for all partitions; no configs needed.
    expect(fake.callsOf('logOffsets').map(([, spec]) => spec)).toEqual(['earliest', 'latest', {timestamp: 3000}])
    expect(fake.callsOf('describeTopics')).toEqual([[{names: ['events'], configs: false}]])
  })

  it('an unknown topic, and a partition without a leader, are one line each', async () => {
    const fake = cluster()
    expect((await rejection(topicOffsets(fake.client(), {topic: 'nope'}))).message).toBe('topic "nope" not found on fake:9092')
    fake.partition('events', 1).leader = -1
    const offline = await rejection(topicOffsets(fake.client(), {topic: 'events', partitions: [0, 1]}))
    expect(offline.code).toBe('OFFSETS_UNAVAILABLE')
    expect(offline.message).toBe('cannot read the log start of events:1 (no leader?)')
  })
})

describe('planTopicTruncate / executeTopicTruncate', () => {
  it('a compacted-only topic is refused before reading any offsets', async () => {
    const fake = cluster()
    fake.addTopic('users', {configs: {'cleanup.policy': 'compact'}})
    const error = await rejection(planTopicTruncate(fake.client(), {topic: 'users', target: {kind: 'offset', offset: 1}}))
    expect(error.code).toBe('COMPACTED_TOPIC')
    expect(fake.callsOf('logOffsets')).toEqual([])
  })

  it('deletes only the partitions where something goes, in one request, and reads the log starts back', async () => {
    const fake = cluster()
    const plan = await planTopicTruncate(fake.client(), {topic: 'events', target: {kind: 'time', timestamp: 5000}})
    expect(plan.rows.map((r) => [r.partition, r.start, r.newStart, r.records])).toEqual([
      [0, 2, 5, 3],
      [1, 0, 4, 4],
      [2, 0, 0, 0],
    ])
    const outcome = await executeTopicTruncate(fake.client(), plan)
    expect(fake.callsOf('deleteRecords')).toEqual([
      [
        [
          {topic: 'events', partition: 0, offset: 5},
          {topic: 'events', partition: 1, offset: 4},
        ],
      ],
    ])
    expect(outcome).toEqual({partitions: [{partition: 0, start: 5}, {partition: 1, start: 4}]})
    expect(fake.records('events', 0).map((r) => r.offset)).toEqual(['5', '6', '7', '8', '9'])
  })

  it('nothing to delete sends nothing', async () => {
    const fake = cluster()
    const plan = await planTopicTruncate(fake.client(), {topic: 'events', partitions: [2], target: {kind: 'offset', offset: 0}})
    expect(await executeTopicTruncate(fake.client(), plan)).toEqual({partitions: []})
    expect(fake.callsOf('deleteRecords')).toEqual([])
  })

  it('a partition the broker refused is named with its reason, with the partitions that were truncated', async () => {
    const fake = cluster()
    const plan = await planTopicTruncate(fake.client(), {topic: 'events', partitions: [0, 1], target: {kind: 'offset', offset: 3}})
    fake.partition('events', 1).leader = -1
    const error = await rejection(executeTopicTruncate(fake.client(), plan))
    expect(error.code).toBe('LEADER_NOT_AVAILABLE')
    expect(error.message).toBe('could not truncate events:1 (a partition has no leader (offline: its replicas are down, or a new leader is not elected yet); kafkit cluster health shows which); truncated partition 0')
  })

  it('a log start read back below the plan is TRUNCATE_NOT_VERIFIED', async () => {
    const fake = cluster()
    const plan = await planTopicTruncate(fake.client(), {topic: 'events', partitions: [0], target: {kind: 'offset', offset: 6}})
    const inner = fake.client()
    const client: KafkaClient = Object.create(inner)
    // A broker that answers success but has not moved the log start.
    client.deleteRecords = async (items) => items.map((i) => ({topic: i.topic, partition: i.partition, lowWatermark: i.offset, error: null}))
    const error = await rejection(executeTopicTruncate(client, plan))
    expect(error.code).toBe('TRUNCATE_NOT_VERIFIED')
    expect(error.message).toBe('events:0 starts at 2 (planned 6) after the delete')
  })
})
