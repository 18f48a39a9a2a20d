import {Args} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {BASH_COMPLETION_SCRIPT, ZSH_COMPLETION_SCRIPT} from '../core/completion.js'

export default class Completion extends BaseCommand<typeof Completion> {
  static summary = 'Print a shell completion script (commands, flags, and topic and group names from the cluster)'
  static examples = [
    '$ kafkit completion bash > ~/.local/share/bash-completion/completions/kafkit',
    '$ source <(kafkit completion zsh)',
  ]
  static args = {shell: Args.string({required: true, options: ['bash', 'zsh'], description: 'bash or zsh'})}

  async run(): Promise<void> {
    this.output(this.args.shell === 'zsh' ? ZSH_COMPLETION_SCRIPT : BASH_COMPLETION_SCRIPT)
  }
}
