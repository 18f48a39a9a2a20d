import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {deleteTopics, refuseInternal, topicsToDelete} from '../../app/topics.js'

export default class TopicsDelete extends KafkaCommand<typeof TopicsDelete> {
  static summary = 'Delete topics (asks first on a terminal; --yes for scripts)'
  static examples = ['$ kafkit topics delete orders.test.scratch --yes']
  static strict = false

  static args = {topic: Args.string({required: true, description: 'topic names'})}
  static flags = {
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
  }

  async run(): Promise<{deleted: string[]}> {
    const {argv} = await this.parse(TopicsDelete)
    const names = [...new Set(argv as string[])]
    refuseInternal(names)
    const conn = await this.connection()
    // Fails with the unknown names before anything is deleted.
    const {partitions} = await topicsToDelete(conn, names)
    await confirmDestructive({
      question: `Delete ${names.length} topic(s) (${partitions} partitions, all their data): ${names.join(', ')}?`,
      confirmed: this.flags.yes,
      flag: '--yes',
    })
    await deleteTopics(conn, names)
    const result = {deleted: names}
    this.render(result, (r) => r.deleted.map((n) => `deleted topic ${n}`).join('\n'))
    return result
  }
}
