/**
 * Live cluster → topics.yaml text, so a team can adopt kafkit on an existing cluster: parsing the
 * export and planning against the same cluster gives no changes.
 *
 * Only topic overrides (source 'topic') are written: values inherited from the brokers stay with
 * the brokers. The most common partition count and replication factor become `defaults`.
 */
import type {YAMLMap} from 'yaml'

import {yamlLibrary} from './lazy-yaml.js'
import {humaneConfigValue, topicConfigDef} from './topic-configs.js'
import {isProtectedTopic, liveReplicationFactor, mostCommon, type LiveClusterState, type LiveTopic} from './cluster-state.js'

export interface ExportOptions {
  /** Only topics whose name starts with this; it also becomes managed.prefixes. */
  prefix?: string
  /** Written as the yaml-language-server modeline, e.g. ./node_modules/kafkit/schema/topics.schema.json. */
  schema?: string
  /** More top-level sections after topics (acls, users, quotas of export --security). */
  sections?: Record<string, unknown>
}

/**
 * A topic whose partitions have different replica counts (an interrupted or partial
 * reassignment): one replicationFactor cannot describe it, and the next plan will reassign the
 * partitions that differ. Export says so rather than pick a number silently.
 */
export interface UnevenReplication {
  topic: string
  /** The replicationFactor written (the most common count). */
  replicationFactor: number
  /** The partitions with another count. */
  partitions: Array<{partition: number; replicas: number[]}>
}

export function unevenReplication(topic: LiveTopic): UnevenReplication | undefined {
  const replicationFactor = liveReplicationFactor(topic)
  const partitions = topic.partitions.filter((p) => p.replicas.length !== replicationFactor).map((p) => ({partition: p.partition, replicas: p.replicas}))
  return partitions.length === 0 ? undefined : {topic: topic.name, replicationFactor, partitions}
}

/** One line for a person: what differs and what the next plan will do about it. */
export function describeUnevenReplication(u: UnevenReplication): string {
  const which = u.partitions.map((p) => `${p.partition} has ${p.replicas.length} (${p.replicas.join(',')})`).join(', ')
  return `topic "${u.topic}": partitions have different replica counts (partition ${which}; the others ${u.replicationFactor}): exported as replicationFactor ${u.replicationFactor}, so plan will reassign the ${u.partitions.length === 1 ? 'partition that differs' : 'partitions that differ'}; finish or undo the reassignment, or change replicationFactor`
}

export interface TopicsExport {
  yaml: string
  /** Topics written. */
  topics: number
  uneven: UnevenReplication[]
}

export function exportTopicsSpec(live: LiveClusterState, options: ExportOptions = {}): TopicsExport {
  const topics = live.topics
    .filter((topic) => !isProtectedTopic(topic) && (options.prefix === undefined || topic.name.startsWith(options.prefix)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const partitions = mostCommon(topics.map((topic) => topic.partitions.length)) || 1
  const replicationFactor = mostCommon(topics.map(liveReplicationFactor)) || 1

  const uneven = new Map<string, UnevenReplication>()
  for (const topic of topics) {
    const u = unevenReplication(topic)
    if (u) uneven.set(topic.name, u)
  }
  const skipped = new Map<string, string[]>()
  const entries = topics.map((topic) => {
    const config: Record<string, string | number | boolean> = {}
    for (const [name, entry] of Object.entries(topic.configs).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (entry.source !== 'topic' || entry.value === null) continue
      if (topicConfigDef(name) === undefined) {
        skipped.set(topic.name, [...(skipped.get(topic.name) ?? []), `${name}=${entry.value}`])
        continue
      }
      config[name] = humaneConfigValue(name, entry.value)
    }
    const rf = liveReplicationFactor(topic)
    return {
      name: topic.name,
      ...(topic.partitions.length === partitions ? {} : {partitions: topic.partitions.length}),
      ...(rf === replicationFactor ? {} : {replicationFactor: rf}),
      ...(Object.keys(config).length === 0 ? {} : {config}),
    }
  })

  const {Document, isMap} = yamlLibrary()
  const doc = new Document({
    version: 1,
    cluster: {id: live.clusterId},
    defaults: {partitions, replicationFactor},
    ...(options.prefix === undefined ? {} : {managed: {prefixes: [options.prefix]}}),
    topics: entries,
    ...options.sections,
  })
  const header = [
    ...(options.schema === undefined ? [] : [` yaml-language-server: $schema=${options.schema}`, '']),
    ` Exported by kafkit from cluster ${live.clusterId}${options.prefix === undefined ? '' : ` (topics under "${options.prefix}")`}.`,
    ' Only topic-level overrides are listed; everything else comes from the brokers.',
  ]
  doc.commentBefore = header.join('\n')
  const cluster = doc.get('cluster', true) as YAMLMap
  cluster.commentBefore = ' plan and apply refuse any other cluster'

  const topicNodes = doc.get('topics', true) as {items: unknown[]}
  topicNodes.items.forEach((node, index) => {
    if (!isMap(node)) return
    const unknown = skipped.get(entries[index].name)
    const u = uneven.get(entries[index].name)
    const comments = [
      ...(u === undefined ? [] : [` ${describeUnevenReplication(u).replace(/^topic "[^"]*": /, '')}`]),
      ...(unknown === undefined ? [] : [` not listed, unknown to kafkit (plan and apply keep them): ${unknown.join(', ')}`]),
    ]
    if (comments.length > 0) node.commentBefore = comments.join('\n')
  })
  return {yaml: doc.toString({lineWidth: 0}), topics: topics.length, uneven: [...uneven.values()]}
}
