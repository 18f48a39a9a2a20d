/** The cluster for people: `cluster info` and `cluster health`. JSON/YAML are the results themselves. */
import type {ClusterDescription, ClusterHealth} from '../app/cluster.js'
import {plural, renderKeyValues, renderTable} from './render.js'

export function renderClusterInfo(r: ClusterDescription): string {
  return [
    renderKeyValues([
      ['cluster id', r.clusterId],
      ['controller', r.controller],
      ['brokers', r.brokers.length],
    ]),
    '',
    renderTable(
      ['ID', 'ADDRESS', 'RACK', 'CONTROLLER'],
      r.brokers.map((b) => [b.nodeId, `${b.host}:${b.port}`, b.rack, b.nodeId === r.controller ? 'yes' : '']),
    ),
  ].join('\n')
}

/** The one-line verdict, a note on leadership, and a table of the partitions with problems. */
export function renderClusterHealth(r: ClusterHealth): string {
  const down = r.brokersDown.length === 0 ? '' : ` up (${plural(r.brokersDown.length, 'broker')} down: ${r.brokersDown.join(', ')})`
  const head = `${r.healthy ? 'healthy' : 'UNHEALTHY'}: ${plural(r.brokers, 'broker')}${down}, ${plural(r.topics, 'topic')}, ${plural(r.partitions, 'partition')}; ` +
    `${r.offline} offline, ${r.underReplicated} under-replicated, ${r.underMinIsr} under min ISR`
  const note = r.notLedByPreferredReplica === 0 ? '' : `\nnote: ${plural(r.notLedByPreferredReplica, 'partition')} ${r.notLedByPreferredReplica === 1 ? 'is' : 'are'} not led by the preferred (first) replica; kafkit topics elect-leaders --all moves leadership back`
  if (r.problems.length === 0) return `${head}${note}`
  return `${head}${note}\n\n${renderTable(
    ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'MIN ISR', 'PROBLEMS'],
    r.problems.map((p) => [p.topic, p.partition, p.leader < 0 ? 'none' : p.leader, p.replicas.join(','), p.isr.join(','), p.minIsr, p.problems.join(', ')]),
  )}`
}
