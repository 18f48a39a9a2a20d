import {KafkaCommand} from '../../cli/base-command.js'
import {renderClusterHealth} from '../../cli/render-cluster.js'
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
    this.render(result, renderClusterHealth)
    if (!result.healthy) process.exitCode = ExitCode.thresholdBreached
    return result
  }
}
