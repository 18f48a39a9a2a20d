/**
 * DescribeConfigs for topics and brokers with sources, flags, types and synonyms, routed the way
 * Kafka's AdminClient routes it: a broker's own configs to that broker, topics and the
 * cluster-wide broker default ('') to any broker. Errors come per resource; sensitive values are
 * dropped here so that nothing above this module ever holds one.
 */
import type {ConfigResourceDescription, ConfigResourceRef, DescribedConfig} from '../core/config-changes.js'
import type {KafkaConnection} from './connection.js'
import {kafkaErrorOfCode} from './errors.js'
import {connectionCluster} from './groups.js'
import {CONFIG_SOURCE_NAMES, CONFIG_TYPE_NAMES, type DescribedEntry, sendDescribeConfigs} from './protocol/describe-configs.js'
import type {ProtocolCluster} from './protocol/wire.js'

function toDescribed(e: DescribedEntry): DescribedConfig {
  return {
    name: e.name,
    value: e.sensitive ? null : e.value,
    source: CONFIG_SOURCE_NAMES[e.source] ?? 'unknown',
    readOnly: e.readOnly,
    sensitive: e.sensitive,
    type: CONFIG_TYPE_NAMES[e.type] ?? 'unknown',
    synonyms: e.synonyms.map((s) => ({name: s.name, value: e.sensitive ? null : s.value, source: CONFIG_SOURCE_NAMES[s.source] ?? 'unknown'})),
  }
}

/** Every entry (or those of `keys`) of each resource, in the order given. */
export async function describeConfigResources(cluster: ProtocolCluster, resources: readonly ConfigResourceRef[], opts: {keys?: readonly string[]} = {}): Promise<ConfigResourceDescription[]> {
  const keyOf = (type: string, name: string) => `${type}\u0000${name}`
  const found = new Map<string, ConfigResourceDescription>()
  const byBroker = new Map<string, ConfigResourceRef[]>()
  const known = new Set(cluster.getNodeIds().map(String))
  for (const r of resources) {
    const own = r.type === 'broker' && r.name !== ''
    if (own && !known.has(r.name)) {
      found.set(keyOf(r.type, r.name), {...r, error: {code: 'BROKER_NOT_FOUND', message: `no broker with id ${r.name} in the cluster (brokers: ${[...known].sort((a, b) => Number(a) - Number(b)).join(', ')})`}, entries: []})
      continue
    }
    const target = own ? r.name : ''
    byBroker.set(target, [...(byBroker.get(target) ?? []), r])
  }
  await Promise.all(
    [...byBroker].map(async ([nodeId, batch]) => {
      const broker = nodeId === '' ? await cluster.findControllerBroker() : await cluster.findBroker({nodeId})
      const results = await sendDescribeConfigs(broker, batch.map((r) => ({type: r.type, name: r.name, keys: opts.keys && opts.keys.length > 0 ? opts.keys : null})))
      for (const res of results) {
        const type = res.type === 4 ? 'broker' : 'topic'
        found.set(keyOf(type, res.name), {
          type,
          name: res.name,
          error: res.errorCode === 0 ? null : kafkaErrorOfCode(res.errorCode, res.errorMessage),
          entries: res.entries.map(toDescribed),
        })
      }
    }),
  )
  return resources.map((r) => found.get(keyOf(r.type, r.name)) ?? {...r, error: {code: 'NO_ANSWER', message: 'the broker did not answer for this resource'}, entries: []})
}

export function describeConfigs(conn: KafkaConnection, resources: readonly ConfigResourceRef[], opts: {keys?: readonly string[]} = {}): Promise<ConfigResourceDescription[]> {
  return conn.run('describe configs', async () => describeConfigResources((await connectionCluster(conn)) as unknown as ProtocolCluster, resources, opts))
}
