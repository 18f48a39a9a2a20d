import {BaseCommand} from '../../cli/base-command.js'
import {configFilePath, loadKafkitConfig} from '../../cli/config-file.js'
import {KafkitError} from '../../errors.js'

export default class ContextCurrent extends BaseCommand<typeof ContextCurrent> {
  static summary = 'Print the current context name'
  static examples = ['$ kafkit context current']

  async run(): Promise<{currentContext: string}> {
    const file = configFilePath()
    const current = loadKafkitConfig(file)?.currentContext
    if (!current) throw new KafkitError(`no current context in ${file}`, {hint: 'set one with `kafkit context use <name>`'})
    this.render({currentContext: current}, (r) => r.currentContext)
    return {currentContext: current}
  }
}
