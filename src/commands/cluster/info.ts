import {KafkaCommand} from '../../cli/base-command.js'
import {renderKeyValues, renderTable} from '../../cli/render.js'
import {clusterInfo, type ClusterDescription} from '../../app/cluster.js'

export default class ClusterInfo extends KafkaCommand<typeof ClusterInfo> {
  static summary = 'Show the cluster id, the controller and the brokers'
  static examples = [
    '$ kafkit cluster info -b 127.0.0.1:9092',
    '$ kafkit cluster info -o json',
  ]

  async run(): Promise<ClusterDescription> {
    const result = await clusterInfo(await this.connection())
    this.render(result, (r) =>
      [
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
      ].join('\n'),
    )
    return result
  }
}
