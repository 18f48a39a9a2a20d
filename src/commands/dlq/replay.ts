import {Args, Flags} from '@oclif/core'

import {executeReplay, planReplay, type ReplaySummary} from '../../app/dlq.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {onInterrupt} from '../../cli/interrupt.js'
import {renderReplayProgress, renderReplaySummary} from '../../cli/render-dlq.js'
import {replaySettingsFromFlags} from '../../cli/replay-flags.js'
import {failedEverywhere} from '../../core/record-filter.js'
import {ExitCode} from '../../errors.js'

export default class DlqReplay extends KafkaCommand<typeof DlqReplay> {
  static summary = 'Re-send dead-lettered records to their original topics, exactly once, resumable'
  static description = `Each record goes to its original topic (or --to) with its original key, value and non-DLQ headers, plus kafkit-replay-source-topic/-partition/-offset, kafkit-replay-time and retry_count incremented.
With --max-retries N, records already retried N times go to the parking topic instead (default <original>.parking), as the DLQ record itself.
Progress is committed under a replay group (default kafkit-dlq-replay.<dlq-topic>) in the same Kafka transaction as the records, so an interrupted replay resumes where it stopped, never sends a record twice and never skips one; a finished replay replays nothing.
Records not matching the filters are skipped for this group (use another --group to replay them later). Undecodable records, and records whose destination is the DLQ itself, are reported and left in the DLQ; the exit code is then 1.
Destination topics must exist (a dry run lists the missing ones and exits 1). Asks first on a terminal; --yes is required without one. --dry-run writes and commits nothing.`
  static examples = [
    '$ kafkit dlq replay orders.dlq --dry-run',
    '$ kafkit dlq replay orders.dlq --error-type TimeoutException --since 2h --yes',
    '$ kafkit dlq replay orders.dlq --to orders.retry --max 1000 --rate 100/s --yes',
    '$ kafkit dlq replay orders.dlq --max-retries 3 --parking-topic orders.parking --yes',
  ]

  static args = {'dlq-topic': Args.string({required: true, description: 'the dead-letter topic'})}
  static flags = {
    to: Flags.string({description: 'send every record to this topic instead of its original topic'}),
    group: Flags.string({description: 'replay group holding the progress (default kafkit-dlq-replay.<dlq-topic>)'}),
    'error-type': Flags.string({multiple: true, multipleNonGreedy: true, description: 'only this error type: a class name, simple or fully qualified (repeatable)', helpGroup: 'FILTER'}),
    since: Flags.string({description: 'only failures at or after this time (ISO-8601 with zone, epoch ms, or a duration ago: 2h)', helpGroup: 'FILTER'}),
    until: Flags.string({description: 'only failures before this time', helpGroup: 'FILTER'}),
    where: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'only DLQ records for which this CEL expression is true (as consume --where), or with this header value: name=value (repeatable, all must hold)',
      helpGroup: 'FILTER',
    }),
    max: Flags.string({description: 'replay (or park) at most this many records in this run'}),
    rate: Flags.string({description: 'at most this many records per second (e.g. 100 or 100/s)'}),
    'max-retries': Flags.string({description: 'park records already retried this many times instead of replaying them'}),
    'parking-topic': Flags.string({description: 'where --max-retries parks records (default <original-topic>.parking)'}),
    'dry-run': Flags.boolean({description: 'show what would go where; write and commit nothing'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
  }

  async run(): Promise<ReplaySummary> {
    const dlqTopic = this.args['dlq-topic']
    // Every flag mistake is reported before connecting.
    const settings = replaySettingsFromFlags(dlqTopic, this.flags)
    const dryRun = Boolean(this.flags['dry-run'])
    const request = {...settings, dryRun}
    const conn = await this.connection()
    const plan = await planReplay(conn, request)
    if (!dryRun && plan.pending > 0) {
      const where = settings.to === undefined ? 'their original topics' : settings.to
      await confirmDestructive({
        question: `Replay up to ${settings.max ?? plan.pending} of ${plan.pending} records from ${dlqTopic} to ${where} (progress under group ${plan.group})?`,
        confirmed: Boolean(this.flags.yes),
        flag: '--yes',
      })
    }
    const showProgress = Boolean(process.stderr.isTTY) && !this.jsonEnabled()
    let lastDraw = 0
    // Ctrl-C / SIGTERM: finish the record at hand, commit, print the summary; a second one exits at once.
    const interrupt = onInterrupt()
    let summary: ReplaySummary
    try {
      summary = await executeReplay(
        conn,
        plan,
        request,
        (p) => {
          if (!showProgress || Date.now() - lastDraw < 100) return
          lastDraw = Date.now()
          this.redraw(renderReplayProgress(p))
        },
        interrupt.signal,
      )
    } finally {
      interrupt.dispose()
    }
    if (showProgress && lastDraw > 0) this.endRedraw()
    this.render(summary, renderReplaySummary)
    const failed = settings.filter.expression === undefined ? undefined : failedEverywhere(settings.filter.expression)
    if (failed !== undefined) this.warning(failed)
    const code = interrupt.exitCode()
    if (code !== undefined && summary.interrupted) process.exitCode = code
    else if (summary.undecodable + summary.refused + summary.missingTopics.length > 0) process.exitCode = ExitCode.error
    return summary
  }
}
