import {BaseCommand} from '../../cli/base-command.js'
import {configFilePath, loadKafkitConfig} from '../../cli/config-file.js'
import {describeContexts, renderContextList, type ContextListing} from '../../cli/contexts-view.js'

export default class ContextList extends BaseCommand<typeof ContextList> {
  static summary = 'List the contexts of the kafkit config file (secrets are never shown)'
  static description = 'The config file is $KAFKIT_CONFIG or ~/.config/kafkit/config.yaml.'
  static examples = ['$ kafkit context list', '$ KAFKIT_CONFIG=./kafkit.yaml kafkit context list -o yaml']

  async run(): Promise<ContextListing> {
    const file = configFilePath()
    const config = loadKafkitConfig(file)
    const result: ContextListing = {file, currentContext: config?.currentContext, contexts: describeContexts(config)}
    this.render(result, renderContextList)
    return result
  }
}
