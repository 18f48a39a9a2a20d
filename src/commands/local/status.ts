import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {renderKeyValues, renderTable} from '../../cli/render.js'
import {defaultStateDir, localClusterStatus} from '../../local/harness.js'
import {registryStatus} from '../../local/registry.js'

export default class LocalStatus extends BaseCommand<typeof LocalStatus> {
  static summary = 'Show whether the local Kafka is running (exit 1 if not)'
  static examples = ['$ kafkit local status']

  static flags = {
    'state-dir': Flags.string({description: 'state dir given to local start', default: defaultStateDir()}),
  }

  async run() {
    const status = localClusterStatus(this.flags['state-dir'])
    const registry = registryStatus(this.flags['state-dir'])
    const result = status
      ? {
          running: status.nodes.every((n) => n.running) && (registry?.running ?? true),
          bootstrap: status.cluster.bootstrap,
          version: status.cluster.version,
          clusterId: status.cluster.clusterId,
          nodes: status.nodes,
          ...(registry ? {registry: {url: registry.url, version: registry.version, pid: registry.pid, running: registry.running, logFile: registry.logFile}} : {}),
        }
      : {running: false, nodes: []}
    this.render(result, () =>
      !status
        ? 'no local Kafka (start one with `kafkit local start`)'
        : [
            renderKeyValues([['bootstrap', status.cluster.bootstrap], ['kafka', status.cluster.version], ['cluster id', status.cluster.clusterId]]),
            '',
            renderTable(['NODE', 'PORT', 'PID', 'STATE', 'LOG'], status.nodes.map((n) => [n.nodeId, n.port, n.pid, n.running ? 'running' : 'stopped', n.logFile])),
            ...(registry
              ? ['', `schema registry: ${registry.url} (Apicurio Registry ${registry.version}, pid ${registry.pid}, ${registry.running ? 'running' : 'stopped'}, log ${registry.logFile})`]
              : []),
          ].join('\n'),
    )
    if (!result.running) process.exitCode = 1
    return result
  }
}
