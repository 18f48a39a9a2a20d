/**
 * `kafkit topics elect-leaders`: one Metadata request to check the partitions named, one
 * ElectLeaders request to the controller, a result per partition.
 */
import {electionRows, electionTargets, type ElectionRow, type PartitionSelector} from '../core/leader-election.js'
import type {KafkaClient} from './kafka-client.js'

export interface LeaderElectionReport {
  type: 'preferred' | 'unclean'
  /** Every partition asked about, with what happened to it. */
  partitions: ElectionRow[]
  elected: number
  notNeeded: number
  failed: number
}

export async function electLeaders(kafka: KafkaClient, opts: {selectors: readonly PartitionSelector[] | 'all'; unclean?: boolean}): Promise<LeaderElectionReport> {
  const type = opts.unclean ? 'unclean' : 'preferred'
  const topics = await kafka.describeTopics({configs: false})
  const targets = electionTargets(topics, opts.selectors)
  // An explicit list even for --all: given none, the controller leaves out partitions already led
  // by their preferred replica, and kafkit reports every partition.
  const results = targets.length === 0 ? [] : await kafka.electLeaders({type, partitions: targets.map((t) => ({topic: t.topic, partition: t.partition}))})
  const rows = electionRows(targets, results, type)
  const count = (o: ElectionRow['outcome']) => rows.filter((r) => r.outcome === o).length
  return {type, partitions: rows, elected: count('elected'), notNeeded: count('not-needed'), failed: count('failed')}
}
