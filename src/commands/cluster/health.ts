import {KafkaCommand} from '../../cli/base-command.js'
import {plural, renderTable} from '../../cli/render.js'
import {clusterHealth, type ClusterHealth} from '../../app/cluster.js'
import {ExitCode} from '../../errors.js'

export type {ClusterHealth}

export default class ClusterHealthCommand extends KafkaCommand<typeof ClusterHealthCommand> {
  static summary = 'Find offline, under-replicated and under-min-ISR partitions (exit 3 if any)'
  static description = `Reports what it can while the cluster is unhealthy: offline partitions (no leader), brokers that
replica lists name but that are down. Exit codes: 0 healthy, 3 problems found, 1 error.`
  static examples = ['$ kafkit cluster health', '$ kafkit cluster health -o json']

  async run(): Promise<ClusterHealth> {
    const result = await clusterHealth(await this.connection())
    this.render(result, (r) => {
      const down = r.brokersDown.length === 0 ? '' : ` up (${plural(r.brokersDown.length, 'broker')} down: ${r.brokersDown.join(', ')})`
      const head = `${r.healthy ? 'healthy' : 'UNHEALTHY'}: ${plural(r.brokers, 'broker')}${down}, ${plural(r.topics, 'topic')}, ${plural(r.partitions, 'partition')}; ` +
        `${r.offline} offline, ${r.underReplicated} under-replicated, ${r.underMinIsr} under min ISR`
      const note = r.notLedByPreferredReplica === 0 ? '' : `\nnote: ${plural(r.notLedByPreferredReplica, 'partition')} ${r.notLedByPreferredReplica === 1 ? 'is' : 'are'} not led by the preferred (first) replica; kafkit topics elect-leaders --all moves leadership back`
      if (r.problems.length === 0) return `${head}${note}`
      return `${head}${note}\n\n${renderTable(
        ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'MIN ISR', 'PROBLEMS'],
        r.problems.map((p) => [p.topic, p.partition, p.leader < 0 ? 'none' : p.leader, p.replicas.join(','), p.isr.join(','), p.minIsr, p.problems.join(', ')]),
      )}`
    })
    if (!result.healthy) process.exitCode = ExitCode.thresholdBreached
    return result
  }
}
