/**
 * Fixtures for the DLQ integration tests: dead-letter records in each format written by a real
 * producer, and kcat (a second, non-kafkajs client) reading targets back read_committed.
 */
import {spawnSync} from 'node:child_process'

import {inject} from 'vitest'

import {createTopic, withConnection} from './groups-helpers.js'
import {uniqueName} from './helpers.js'

export {createTopic}

export interface DlqTestRecord {
  key: string | null
  value: string | null
  headers?: Record<string, string | Buffer>
  partition?: number
}

export async function produceRecords(topic: string, records: readonly DlqTestRecord[], bootstrap = inject('kafkaBootstrap')): Promise<void> {
  await withConnection(bootstrap, async (conn) => {
    // Idempotent: a send retried right after topic creation (a leader not ready yet) must not
    // write the partitions that succeeded the first time again; fixtures need exact counts.
    const producer = await conn.producer({allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1})
    for (let i = 0; i < records.length; i += 1000) {
      await producer.send({
        topic,
        acks: -1,
        messages: records.slice(i, i + 1000).map((r) => ({key: r.key, value: r.value, headers: r.headers ?? {}, partition: r.partition ?? 0})),
      })
    }
  })
}

/** A seed-003 record: the original key/value with original_* and error_* headers. */
export function seed003(originalTopic: string, i: number, extra: Record<string, string> = {}): DlqTestRecord {
  return {
    key: `key-${i}`,
    value: `value-${i}`,
    headers: {
      original_topic: originalTopic,
      original_partition: '0',
      original_offset: String(i),
      error_type: i % 2 === 0 ? 'TimeoutError' : 'ValueError',
      error_message: `failure ${i}`,
      failed_at: '2026-11-01T10:00:00',
      ...extra,
    },
  }
}

export interface KcatRecord {
  partition: number
  offset: number
  timestamp: number
  key: string | null
  value: string | null
  headers: Record<string, string>
}

/** Every committed record of the topic, through kcat with isolation.level=read_committed. */
export function readCommitted(topic: string, opts: {bootstrap?: string; isolation?: 'read_committed' | 'read_uncommitted'} = {}): KcatRecord[] {
  const res = spawnSync(
    'kcat',
    ['-b', opts.bootstrap ?? inject('kafkaBootstrap'), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J', '-X', `isolation.level=${opts.isolation ?? 'read_committed'}`],
    {timeout: 60_000, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8'},
  )
  if (res.status !== 0) throw new Error(`kcat failed (${res.status}): ${res.stderr || res.error}`)
  return res.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const j = JSON.parse(line) as {partition: number; offset: number; ts: number; key: string | null; payload: string | null; headers?: string[]}
      const headers: Record<string, string> = {}
      for (let i = 0; i + 1 < (j.headers ?? []).length; i += 2) headers[j.headers![i]] = j.headers![i + 1]
      return {partition: j.partition, offset: j.offset, timestamp: j.ts, key: j.key, value: j.payload, headers}
    })
}

/** The sum of the group's committed offsets on the topic (0 without any). */
export async function committedTotal(group: string, topic: string, bootstrap = inject('kafkaBootstrap')): Promise<number> {
  return withConnection(bootstrap, async (conn) => {
    const admin = await conn.admin()
    const [offsets] = await admin.fetchOffsets({groupId: group, topics: [topic]})
    return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
  })
}

/** Waits (up to 60 s) until the replay group has committed progress; NOT_COORDINATOR counts as none yet. */
export async function waitForReplayProgress(group: string, dlqTopic: string, bootstrap = inject('kafkaBootstrap')): Promise<number> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const total = await committedTotal(group, dlqTopic, bootstrap).catch(() => 0)
    if (total > 0 || Date.now() > deadline) return total
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** `partition@offset` in the DLQ of every replayed record in the target, read_committed. */
export function replaySources(topic: string, bootstrap = inject('kafkaBootstrap')): string[] {
  return readCommitted(topic, {bootstrap}).map((r) => `${r.headers['kafkit-replay-source-partition']}@${r.headers['kafkit-replay-source-offset']}`)
}

/**
 * A DLQ and its original topic, both new (unique names), the DLQ filled with `records(original)`.
 * `originalPartitions: 0` leaves the original topic uncreated.
 */
export async function filledDlq(
  prefix: string,
  records: (original: string) => DlqTestRecord[],
  opts: {dlqPartitions?: number; originalPartitions?: number; bootstrap?: string} = {},
): Promise<{dlq: string; original: string}> {
  const bootstrap = opts.bootstrap ?? inject('kafkaBootstrap')
  const dlq = uniqueName(prefix)
  const original = uniqueName('orders')
  await createTopic(bootstrap, dlq, opts.dlqPartitions ?? 1)
  if (opts.originalPartitions !== 0) await createTopic(bootstrap, original, opts.originalPartitions ?? 1)
  await produceRecords(dlq, records(original), bootstrap)
  return {dlq, original}
}
