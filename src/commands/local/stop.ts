import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {defaultStateDir, stopLocalCluster} from '../../local/harness.js'
import {stopRegistry} from '../../local/registry.js'

export default class LocalStop extends BaseCommand<typeof LocalStop> {
  static summary = 'Stop the local Kafka (and schema registry) started by `kafkit local start` (only the processes it recorded)'
  static examples = ['$ kafkit local stop', '$ kafkit local stop --purge']

  static flags = {
    'state-dir': Flags.string({description: 'state dir given to local start', default: defaultStateDir()}),
    purge: Flags.boolean({description: 'also delete the data and logs'}),
  }

  async run(): Promise<{stopped: number[]; registry?: string}> {
    // The registry first: --purge removes the state dir it records its pid in.
    const registry = await stopRegistry(this.flags['state-dir'])
    const cluster = await stopLocalCluster(this.flags['state-dir'], {removeData: this.flags.purge})
    const result = {stopped: cluster?.nodes.map((n) => n.nodeId) ?? [], ...(registry ? {registry: registry.url} : {})}
    this.render(result, (r) =>
      [
        r.stopped.length === 0 ? 'no local Kafka was running' : `stopped node(s) ${r.stopped.join(', ')}`,
        ...(r.registry ? [`stopped the schema registry at ${r.registry}`] : []),
      ].join('\n'),
    )
    return result
  }
}
