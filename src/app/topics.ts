/**
 * Imperative topic use cases (`topics list | describe | create | delete`): what each reads and
 * writes on the cluster, as plain data for the commands to render.
 */
import {isInternalTopic, liveReplicationFactor, type LivePartition, type LiveTopic} from '../core/cluster-state.js'
import {KafkitError} from '../errors.js'
import type {KafkaClient, TopicToCreate} from './kafka-client.js'

export type {TopicToCreate}

export interface TopicListEntry {
  name: string
  partitions: number
  replicationFactor: number
  internal: boolean
}

/** Every topic (one Metadata request), internal ones only when asked. */
export async function listTopics(kafka: KafkaClient, opts: {internal?: boolean; prefix?: string}): Promise<TopicListEntry[]> {
  const topics = await kafka.describeTopics({configs: false})
  return topics
    .filter((t) => opts.internal || !t.internal)
    .filter((t) => !opts.prefix || t.name.startsWith(opts.prefix))
    .map((t) => ({name: t.name, partitions: t.partitions.length, replicationFactor: liveReplicationFactor(t), internal: t.internal}))
}

export interface TopicDescription {
  name: string
  internal: boolean
  partitions: LivePartition[]
  replicationFactor: number
  /** Configs whose value does not come from Kafka's built-in default (all with allConfigs), with where it comes from. */
  configs: {name: string; value: string | null; source: string}[]
}

/** The named topics and every topic under `prefix`, in two requests however many there are. */
export async function describeTopicsNamed(kafka: KafkaClient, opts: {names: string[]; prefix?: string; allConfigs?: boolean}): Promise<TopicDescription[]> {
  const topics = await kafka.describeTopics({names: opts.names, prefix: opts.prefix, configs: 'all'})
  if (topics.length === 0) throw new KafkitError(`no topic starts with "${opts.prefix}" on ${kafka.brokersLabel}`, {hint: 'kafkit topics list shows what exists'})
  return topics.map((topic) => describeOne(topic, opts.allConfigs ?? false))
}

function describeOne(topic: LiveTopic, allConfigs: boolean): TopicDescription {
  return {
    name: topic.name,
    internal: topic.internal,
    replicationFactor: liveReplicationFactor(topic),
    partitions: topic.partitions,
    configs: Object.entries(topic.configs)
      .filter(([, e]) => allConfigs || e.source !== 'default')
      .map(([name, e]) => ({name, value: e.sensitive ? '[sensitive]' : e.value, source: e.source}))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }
}

/** Creates one topic and waits for its leaders; an existing topic is TOPIC_ALREADY_EXISTS. */
export function createTopic(kafka: KafkaClient, topic: TopicToCreate): Promise<void> {
  return kafka.createTopic(topic)
}

/**
 * Checks what deleting `names` would remove (internal or unknown topics fail here, before
 * anything is deleted) and returns their partition count, for the confirmation.
 */
export async function topicsToDelete(kafka: KafkaClient, names: string[]): Promise<{partitions: number}> {
  refuseInternal(names)
  const topics = await kafka.describeTopics({names, configs: false})
  return {partitions: topics.reduce((n, t) => n + t.partitions.length, 0)}
}

/** Deletes many topics in one request; never internal ones. */
export async function deleteTopics(kafka: KafkaClient, names: string[]): Promise<void> {
  refuseInternal(names)
  await kafka.deleteTopics(names)
}

/** Kafka's own topics (and `_`-prefixed ones) are never deleted; said before connecting. */
export function refuseInternal(names: readonly string[]): void {
  const internal = names.filter(isInternalTopic)
  if (internal.length > 0) throw new KafkitError(`refusing to delete internal topic ${internal.map((n) => `"${n}"`).join(', ')}`)
}
