import {BaseCommand} from '../../cli/base-command.js'
import {configFilePath, loadKafkitConfig} from '../../cli/config-file.js'
import {renderTable} from '../../cli/render.js'
import {describeContexts, type ContextSummary} from '../../cli/contexts-view.js'

export default class ContextList extends BaseCommand<typeof ContextList> {
  static summary = 'List the contexts of the kafkit config file (secrets are never shown)'
  static description = 'The config file is $KAFKIT_CONFIG or ~/.config/kafkit/config.yaml.'
  static examples = ['$ kafkit context list', '$ KAFKIT_CONFIG=./kafkit.yaml kafkit context list -o yaml']

  async run(): Promise<{file: string; currentContext?: string; contexts: ContextSummary[]}> {
    const file = configFilePath()
    const config = loadKafkitConfig(file)
    const result = {file, currentContext: config?.currentContext, contexts: describeContexts(config)}
    this.render(result, (r) =>
      r.contexts.length === 0
        ? `no contexts in ${r.file}`
        : renderTable(
            ['CURRENT', 'NAME', 'BROKERS', 'TLS', 'SASL', 'PASSWORD'],
            r.contexts.map((c) => [c.current ? '*' : ' ', c.name, c.brokers.join(','), c.tls, c.sasl, c.password]),
          ),
    )
    return result
  }
}
