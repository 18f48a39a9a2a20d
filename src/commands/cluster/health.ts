import {KafkaCommand} from '../../cli/base-command.js'
import {plural, renderTable} from '../../cli/render.js'
import {downBrokers, findPartitionProblems, type PartitionProblem} from '../../core/cluster-state.js'
import {ExitCode} from '../../errors.js'
import {describeCluster, describeTopics} from '../../kafka/topics.js'

export interface ClusterHealth {
  healthy: boolean
  brokers: number
  /** Brokers that replica lists name but that are not up (down or fenced). */
  brokersDown: number[]
  topics: number
  partitions: number
  offline: number
  underReplicated: number
  underMinIsr: number
  problems: PartitionProblem[]
}

export default class ClusterHealthCommand extends KafkaCommand<typeof ClusterHealthCommand> {
  static summary = 'Find offline, under-replicated and under-min-ISR partitions (exit 3 if any)'
  static description = `Reports what it can while the cluster is unhealthy: offline partitions (no leader), brokers that
replica lists name but that are down. Exit codes: 0 healthy, 3 problems found, 1 error.`
  static examples = ['$ kafkit cluster health', '$ kafkit cluster health -o json']

  async run(): Promise<ClusterHealth> {
    const conn = await this.connection()
    const cluster = await describeCluster(conn, {racks: false})
    const topics = await describeTopics(conn, {configs: ['min.insync.replicas']})
    const problems = findPartitionProblems(topics)
    const brokersDown = downBrokers({brokers: cluster.brokers, topics})
    const count = (kind: PartitionProblem['problems'][number]) => problems.filter((p) => p.problems.includes(kind)).length
    const result: ClusterHealth = {
      healthy: problems.length === 0 && brokersDown.length === 0,
      brokers: cluster.brokers.length,
      brokersDown,
      topics: topics.length,
      partitions: topics.reduce((n, t) => n + t.partitions.length, 0),
      offline: count('offline'),
      underReplicated: count('under-replicated'),
      underMinIsr: count('under-min-isr'),
      problems,
    }
    this.render(result, (r) => {
      const down = r.brokersDown.length === 0 ? '' : ` up (${plural(r.brokersDown.length, 'broker')} down: ${r.brokersDown.join(', ')})`
      const head = `${r.healthy ? 'healthy' : 'UNHEALTHY'}: ${plural(r.brokers, 'broker')}${down}, ${plural(r.topics, 'topic')}, ${plural(r.partitions, 'partition')}; ` +
        `${r.offline} offline, ${r.underReplicated} under-replicated, ${r.underMinIsr} under min ISR`
      if (r.problems.length === 0) return head
      return `${head}\n\n${renderTable(
        ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'MIN ISR', 'PROBLEMS'],
        r.problems.map((p) => [p.topic, p.partition, p.leader < 0 ? 'none' : p.leader, p.replicas.join(','), p.isr.join(','), p.minIsr, p.problems.join(', ')]),
      )}`
    })
    if (!result.healthy) process.exitCode = ExitCode.thresholdBreached
    return result
  }
}
