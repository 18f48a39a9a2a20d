import {Command} from '@oclif/core'

import {liveNames} from '../app/completion.js'
import {withKafkaClient} from '../cli/base-command.js'
import {configFilePath, loadKafkitConfig} from '../cli/config-file.js'
import {completionCandidates, type CompletableCommand} from '../core/completion.js'
import {resolveConnection} from '../core/contexts.js'

const TOPIC_ARGS = new Set(['topics describe', 'topics delete', 'produce', 'consume', 'dlq inspect', 'dlq replay', 'topics offsets', 'topics truncate'])
const GROUP_ARGS = new Set(['groups describe', 'groups delete', 'groups reset-offsets', 'groups lag', 'groups delete-offsets'])

/** Called by the completion script on every TAB: prints candidates, one per line, never an error. */
export default class CompleteWords extends Command {
  static hidden = true
  static strict = false
  static summary = 'print completion candidates for the words typed so far'

  async run(): Promise<void> {
    // The script passes the words after `--`, so half-typed flags (`--ti`) are words, not flags.
    const raw = [...this.argv]
    await this.parse(CompleteWords, ['--'])
    const words = raw[0] === '--' ? raw.slice(1) : raw
    const commands: CompletableCommand[] = this.config.commands
      .filter((c) => !c.hidden)
      .map((c) => {
        const id = c.id.replaceAll(':', ' ')
        const flags = Object.entries(c.flags).flatMap(([name, f]) => [`--${name}`, ...(f.char ? [`-${f.char}`] : [])])
        return {id, flags, argKind: TOPIC_ARGS.has(id) ? 'topic' : GROUP_ARGS.has(id) ? 'group' : undefined}
      })
    const flagValue = (name: string) => {
      const i = words.indexOf(name)
      return i >= 0 ? words[i + 1] : undefined
    }
    const candidates = await completionCandidates(words, commands, async (kind) => {
      try {
        const settings = resolveConnection({
          flagBrokers: flagValue('--bootstrap-server') ?? flagValue('-b'),
          envBrokers: process.env.KAFKA_BOOTSTRAP_SERVERS,
          contextName: flagValue('--context'),
          config: loadKafkitConfig(),
          configFile: configFilePath(),
        })
        // A TAB must answer fast or not at all.
        return await withKafkaClient(settings, 2000, (kafka) => liveNames(kafka, kind))
      } catch {
        return []
      }
    })
    if (candidates.length > 0) process.stdout.write(`${candidates.join('\n')}\n`)
  }
}
