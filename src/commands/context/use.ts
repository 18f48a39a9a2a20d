import {readFileSync, writeFileSync} from 'node:fs'

import {Args} from '@oclif/core'
import {parseDocument} from 'yaml'

import {BaseCommand} from '../../cli/base-command.js'
import {configFilePath, loadKafkitConfig} from '../../cli/config-file.js'
import {KafkitError} from '../../errors.js'

export default class ContextUse extends BaseCommand<typeof ContextUse> {
  static summary = 'Make a context the current one'
  static examples = ['$ kafkit context use prod']
  static args = {name: Args.string({required: true, description: 'context name'})}

  async run(): Promise<{currentContext: string}> {
    const file = configFilePath()
    const config = loadKafkitConfig(file)
    const {name} = this.args
    if (!config?.contexts[name]) {
      const known = Object.keys(config?.contexts ?? {})
      throw new KafkitError(`no context named "${name}" in ${file}${known.length ? ` (known: ${known.join(', ')})` : ''}`)
    }
    // Edit the document in place so the user's comments and layout survive.
    const doc = parseDocument(readFileSync(file, 'utf8'))
    doc.set('currentContext', name)
    writeFileSync(file, doc.toString())
    this.render({currentContext: name}, (r) => `current context is now ${r.currentContext}`)
    return {currentContext: name}
  }
}
