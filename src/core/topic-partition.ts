/**
 * The (topic, partition) pair shared by offset resets, offset files and lag. Pure.
 */

export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number
}

/** Kafka's legal topic names: 1–249 chars of [a-zA-Z0-9._-]. A ':' can never be part of one. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/

export function isValidTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name !== '.' && name !== '..'
}

/** A string key for Maps and Sets; unambiguous because topic names cannot contain ':'. */
export function topicPartitionKey(tp: TopicPartition): string {
  return `${tp.topic}:${tp.partition}`
}

/** `orders:3`, the same syntax `--topic orders:3` accepts (Kafka's own tools print `orders-3`). */
export const formatTopicPartition = topicPartitionKey

/** Topic by name, then partition by number: the order every table and file uses. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1
  return a.partition - b.partition
}

/** `0-5` for contiguous partitions, `0,2,5` otherwise: how error messages list a topic's partitions. */
export function describePartitionNumbers(partitions: readonly number[]): string {
  const sorted = [...new Set(partitions)].sort((a, b) => a - b)
  if (sorted.length === 0) return 'none'
  const contiguous = sorted.every((p, i) => p === sorted[0] + i)
  return contiguous && sorted.length > 2 ? `${sorted[0]}-${sorted.at(-1)}` : sorted.join(',')
}

/** A partition number or offset as it appears in user input: digits only, within safe integers. */
export function parseNonNegativeInteger(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}
