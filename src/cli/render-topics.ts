/** Topics for people: `topics list` and `topics describe` tables. JSON/YAML are the results themselves. */
import type {TopicDescription, TopicListEntry} from '../app/topics.js'
import {renderKeyValues, renderTable} from './render.js'

export function renderTopicList(topics: readonly TopicListEntry[]): string {
  return topics.length === 0 ? 'no topics' : renderTable(['TOPIC', 'PARTITIONS', 'RF'], topics.map((t) => [t.name, t.partitions, t.replicationFactor]))
}

/** One topic, or several separated by a blank line. */
export function renderTopicDescriptions(result: TopicDescription | readonly TopicDescription[]): string {
  return (Array.isArray(result) ? result : [result]).map(renderTopic).join('\n\n')
}

function renderTopic(r: TopicDescription): string {
  return [
    renderKeyValues([
      ['topic', r.name],
      ['partitions', r.partitions.length],
      ['replication factor', r.replicationFactor],
    ]),
    '',
    renderTable(
      ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'OFFLINE'],
      r.partitions.map((p) => [p.partition, p.leader < 0 ? 'none' : p.leader, p.replicas.join(','), p.isr.join(','), p.offlineReplicas?.join(',')]),
    ),
    '',
    r.configs.length === 0 ? 'configs: all at Kafka defaults' : renderTable(['CONFIG', 'VALUE', 'SOURCE'], r.configs.map((c) => [c.name, c.value, c.source])),
  ].join('\n')
}
