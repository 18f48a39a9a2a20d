import {Flags} from '@oclif/core'

import {cancelReassign, executeReassign, planReassign, type CancelReport, type ReassignPlan, type ReassignReport} from '../../app/reassign.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {onInterrupt} from '../../cli/interrupt.js'
import {renderCancelReport, renderReassignPlan, renderReassignProgress, renderReassignReport} from '../../cli/render-reassign.js'
import {parseTopicScope} from '../../core/offset-reset.js'
import {parseThrottle, type ReassignTarget} from '../../core/reassign-plan.js'
import {parseNonNegativeInteger} from '../../core/topic-partition.js'
import {ExitCode, KafkitError} from '../../errors.js'

export interface ReassignOutput {
  plan: ReassignPlan
  executed: boolean
  report?: ReassignReport
  cancel?: CancelReport
}

export default class TopicsReassign extends KafkaCommand<typeof TopicsReassign> {
  static summary = 'Move partition replicas to other brokers, throttled, in batches, resumable (dry run unless --execute)'
  static description = `Moves the replicas of the chosen partitions (--topic T or T:0,2,5, repeatable; --prefix) onto
--brokers (spread evenly over them) or evenly over every broker (--balance); new replicas go to
racks the partition does not use yet. The replication factor stays. Always prints the plan first
(old replicas → new, bytes to copy); only --execute changes anything.

--throttle 50MiB/s sets leader/follower.replication.throttled.rate on the brokers involved and
leader/follower.replication.throttled.replicas on the topics (as kafka-reassign-partitions does),
and removes them when the move ends or fails. --batch N moves at most N partitions at a time.
Ctrl-C stops waiting, not the move: it goes on in the cluster, with its throttle. Running the same
command again waits for it, then removes the throttle (and throttles any earlier run left once
nothing moves there); --cancel --execute stops it instead (the replicas go back).`
  static examples = [
    '$ kafkit topics reassign --topic orders --brokers 2,3,4',
    '$ kafkit topics reassign --prefix orders. --balance --throttle 50MiB/s --batch 10 --execute',
    '$ kafkit topics reassign --topic orders:0,1 --brokers 1,2 --execute',
    '$ kafkit topics reassign --topic orders --cancel --execute',
  ]

  static flags = {
    topic: Flags.string({char: 't', multiple: true, multipleNonGreedy: true, description: 'a topic, or TOPIC:0,2,5 for some partitions (repeatable)'}),
    prefix: Flags.string({description: 'also every topic whose name starts with this'}),
    brokers: Flags.string({description: 'broker ids to move the replicas onto, e.g. 1,2,3'}),
    balance: Flags.boolean({description: 'spread the replicas evenly over every broker', exclusive: ['brokers']}),
    throttle: Flags.string({description: 'replication throttle while moving, e.g. 50MiB/s'}),
    batch: Flags.string({description: 'move at most this many partitions at a time'}),
    execute: Flags.boolean({description: 'do it (without it: only the plan)'}),
    cancel: Flags.boolean({description: 'cancel the moves in progress of these topics (with --execute)', exclusive: ['brokers', 'balance']}),
  }

  async run(): Promise<ReassignOutput> {
    const {flags} = this
    const scopes = (flags.topic ?? []).map(parseTopicScope)
    if (scopes.length === 0 && flags.prefix === undefined) throw new KafkitError('missing --topic or --prefix: which partitions to move', {hint: 'e.g. --topic orders --brokers 1,2,3'})
    const throttle = flags.throttle === undefined ? undefined : parseThrottle(flags.throttle)
    const batch = flags.batch === undefined ? undefined : parseBatch(flags.batch)
    const target = parseTarget(flags.brokers, flags.balance)
    if (target === undefined && !flags.cancel && (throttle !== undefined || batch !== undefined)) {
      throw new KafkitError('--throttle and --batch need a target: --brokers 1,2,3 or --balance')
    }
    const conn = await this.connection()
    const plan = await planReassign(conn, {scopes, prefix: flags.prefix, target, throttle, batch})
    const structured = this.outputFormat !== 'table'
    if (flags.cancel && plan.inProgress.length === 0) await cancelReassign(conn, plan) // throws: nothing to cancel
    if (!structured) this.log(renderReassignPlan(plan, {execute: flags.execute, cancel: flags.cancel}))
    if (!flags.execute) {
      const output: ReassignOutput = {plan, executed: false}
      if (structured) this.render(output, () => '')
      return output
    }

    const showProgress = Boolean(process.stderr.isTTY) && !this.jsonEnabled() && process.env.KAFKIT_NO_PROGRESS !== '1'
    let drawn = false
    let lastDraw = 0
    const interrupt = onInterrupt()
    const output: ReassignOutput = {plan, executed: true}
    try {
      if (flags.cancel) {
        output.cancel = await cancelReassign(conn, plan, {signal: interrupt.signal})
      } else {
        output.report = await executeReassign(conn, plan, {
          signal: interrupt.signal,
          bytes: showProgress,
          onProgress: (p) => {
            if (!showProgress || Date.now() - lastDraw < 200) return
            lastDraw = Date.now()
            drawn = true
            this.redraw(`\u001B[2K${renderReassignProgress(p)}`)
          },
        })
      }
    } finally {
      interrupt.dispose()
      if (drawn) this.redraw('\u001B[2K')
    }
    this.render(output, (o) => (o.cancel ? renderCancelReport(o.cancel) : renderReassignReport(o.report!)))
    const {report, cancel} = output
    const code = interrupt.exitCode()
    if (code !== undefined && (report?.stillMoving || report?.notStarted)) process.exitCode = code
    else if (report && (report.failed.length > 0 || report.stillMoving > 0 || report.notStarted > 0 || report.throttles?.error)) process.exitCode = ExitCode.error
    else if (cancel && (cancel.failed.length > 0 || cancel.stillMoving > 0)) process.exitCode = ExitCode.error
    return output
  }
}

function parseBatch(text: string): number {
  const n = parseNonNegativeInteger(text.trim())
  if (n === undefined || n === 0) throw new KafkitError(`invalid --batch "${text}": a number of partitions, 1 or more`)
  return n
}

function parseTarget(brokers: string | undefined, balance: boolean): ReassignTarget | undefined {
  if (balance) return {kind: 'balance'}
  if (brokers === undefined) return undefined
  const ids = brokers.split(',').map((s) => s.trim())
  const bad = ids.find((s) => parseNonNegativeInteger(s) === undefined)
  if (bad !== undefined || ids.length === 0) throw new KafkitError(`invalid --brokers "${brokers}": broker ids separated by commas, e.g. 1,2,3`)
  return {kind: 'brokers', brokers: ids.map(Number)}
}
