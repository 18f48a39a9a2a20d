import {KafkaCommand} from '../../cli/base-command.js'
import {renderClusterInfo} from '../../cli/render-cluster.js'
import {clusterInfo, type ClusterDescription} from '../../app/cluster.js'

export default class ClusterInfo extends KafkaCommand<typeof ClusterInfo> {
  static summary = 'Show the cluster id, the controller and the brokers'
  static examples = [
    '$ kafkit cluster info -b 127.0.0.1:9092',
    '$ kafkit cluster info -o json',
  ]

  async run(): Promise<ClusterDescription> {
    const result = await clusterInfo(await this.connection())
    this.render(result, renderClusterInfo)
    return result
  }
}
