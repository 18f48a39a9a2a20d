import {Flags} from '@oclif/core'

import {electLeaders, type LeaderElectionReport} from '../../app/leaders.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {renderLeaderElection} from '../../cli/render-leaders.js'
import {parsePartitionSelector} from '../../core/leader-election.js'
import {KafkitError} from '../../errors.js'

export default class TopicsElectLeaders extends KafkaCommand<typeof TopicsElectLeaders> {
  static summary = 'Move leadership back to the preferred replica (or, --unclean, to any live replica); exit 1 if any partition failed'
  static description = `The preferred replica is the first of a partition's replica list: after a broker restarts, its
partitions stay led by the others until an election. Reports per partition: elected, already led by its
preferred replica (ELECTION_NOT_NEEDED), or not possible and why (preferred replica down or out of sync).
--unclean lets a replica that is not in sync lead a partition that has no leader: the records it lacks
are lost, so kafkit warns and asks first (--yes for scripts).`
  static examples = [
    '$ kafkit topics elect-leaders --all',
    '$ kafkit topics elect-leaders --topic orders.created --topic payments:0,2',
    '$ kafkit topics elect-leaders --topic orders.created:3 --unclean --yes',
  ]

  static flags = {
    topic: Flags.string({description: 'a topic, or some of its partitions (T:0,1 or T:0-3); repeatable', multiple: true, helpValue: 'T[:P,...]'}),
    all: Flags.boolean({description: 'every partition of every topic'}),
    unclean: Flags.boolean({description: 'unclean election: an out-of-sync replica may lead (loses the records it lacks)'}),
    yes: Flags.boolean({char: 'y', description: 'with --unclean: do not ask (required without a terminal)'}),
  }

  async run(): Promise<LeaderElectionReport> {
    const {topic, all, unclean, yes} = this.flags
    if (all && topic) throw new KafkitError('--all and --topic cannot be used together: --all elects for every partition')
    if (!all && !topic) throw new KafkitError('name the partitions: --topic T[:P,...] (repeatable) or --all')
    const selectors = all ? 'all' : topic!.map(parsePartitionSelector)
    if (unclean) {
      this.warning('unclean election: a replica that is not in sync may become leader, and the records it lacks are lost for good')
      await confirmDestructive({question: 'Run an unclean leader election (possible data loss)?', confirmed: yes, flag: '--yes'})
    }
    const result = await electLeaders(await this.connection(), {selectors, unclean})
    this.render(result, (r) => renderLeaderElection(r, {all}))
    if (result.failed > 0) process.exitCode = 1
    return result
  }
}
