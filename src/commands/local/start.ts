import {Flags} from '@oclif/core'

import {BaseCommand, parseTimeoutFlag} from '../../cli/base-command.js'
import {renderKeyValues} from '../../cli/render.js'
import {defaultStateDir, startLocalCluster, type LocalCluster} from '../../local/harness.js'

export default class LocalStart extends BaseCommand<typeof LocalStart> {
  static summary = 'Start a real Kafka (KRaft) on 127.0.0.1 from Maven Central jars (needs Java 17+ and Maven)'
  static description = `Downloads Apache Kafka's jars once into ~/.cache/kafkit (KAFKIT_KAFKA_VERSION picks the version),
formats KRaft storage and starts 1 or 3 combined broker+controller nodes in the background.
Node i listens on PORT+i (clients) and PORT+100+i (controller). Returns when the cluster answers.`
  static examples = ['$ kafkit local start', '$ kafkit local start --nodes 3 --port 29092']

  static flags = {
    nodes: Flags.integer({description: 'number of nodes (1 or 3)', default: 1, options: ['1', '3'] as any}),
    port: Flags.integer({description: 'first client port', default: 9092}),
    'state-dir': Flags.string({description: 'where data, logs and pids live', default: defaultStateDir()}),
    timeout: Flags.string({description: 'how long to wait for the cluster to answer', default: '120s'}),
  }

  async run(): Promise<LocalCluster> {
    const cluster = await startLocalCluster({
      nodes: this.flags.nodes,
      port: this.flags.port,
      stateDir: this.flags['state-dir'],
      timeoutMs: parseTimeoutFlag(this.flags.timeout),
      log: (line) => process.stderr.write(`${line}\n`),
    })
    this.render(cluster, (c) =>
      [
        renderKeyValues([
          ['kafka', c.version],
          ['cluster id', c.clusterId],
          ['bootstrap', c.bootstrap],
          ['nodes', c.nodes.map((n) => `${n.nodeId} (pid ${n.pid})`).join(', ')],
          ['logs', c.nodes.map((n) => n.logFile).join(', ')],
        ]),
        '',
        `export KAFKA_BOOTSTRAP_SERVERS=${c.bootstrap}`,
      ].join('\n'),
    )
    return cluster
  }
}
