/**
 * AlterPartitionReassignments v0 (KIP-455, api key 45, flexible), sent to the controller (a broker
 * forwards it in KRaft). kafkajs speaks it too, but refuses a null replica list, which is how a
 * reassignment in progress is cancelled, and throws on the first failed partition without saying
 * which; this answers per partition.
 *
 *   AlterPartitionReassignments Request (Version: 0) => timeout_ms [topics] TAG_BUFFER
 *     timeout_ms => INT32
 *     topics => name [partitions] TAG_BUFFER
 *       name => COMPACT_STRING
 *       partitions => partition_index [replicas] TAG_BUFFER
 *         partition_index => INT32
 *         replicas => INT32        (COMPACT_NULLABLE_ARRAY: null = cancel the reassignment)
 *
 *   AlterPartitionReassignments Response (Version: 0) => throttle_time_ms error_code error_message [responses] TAG_BUFFER
 *     responses => name [partitions] TAG_BUFFER
 *       partitions => partition_index error_code error_message TAG_BUFFER
 */
import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {sendRequest, type ApiSpec, type ProtocolBroker} from './wire.js'

export const ALTER_PARTITION_REASSIGNMENTS: ApiSpec = {key: 45, name: 'AlterPartitionReassignments', version: 0, flexible: true, since: '2.4', kip: 'KIP-455'}

export interface PartitionTarget {
  readonly topic: string
  readonly partition: number
  /** The new replica list; null cancels the reassignment in progress. */
  readonly replicas: readonly number[] | null
}

export interface AlterReassignmentsResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly partitions: readonly {readonly topic: string; readonly partition: number; readonly errorCode: number; readonly errorMessage: string | null}[]
}

export function encodeAlterPartitionReassignmentsRequest(targets: readonly PartitionTarget[], timeoutMs: number): Buffer {
  const byTopic = new Map<string, PartitionTarget[]>()
  for (const t of targets) byTopic.set(t.topic, [...(byTopic.get(t.topic) ?? []), t])
  return new FlexibleWriter()
    .int32(timeoutMs)
    .compactArray([...byTopic], ([topic, partitions], w) => {
      w.compactString(topic)
      w.compactArray(partitions, (p, wp) => {
        wp.int32(p.partition)
        wp.compactArray(p.replicas, (id, wr) => wr.int32(id))
        wp.noTaggedFields()
      })
      w.noTaggedFields()
    })
    .noTaggedFields()
    .toBuffer()
}

export function decodeAlterPartitionReassignmentsResponse(body: Buffer): AlterReassignmentsResponse {
  const r = new FlexibleReader(body)
  r.int32()
  const errorCode = r.int16()
  const errorMessage = r.compactNullableString()
  const partitions: {topic: string; partition: number; errorCode: number; errorMessage: string | null}[] = []
  r.compactArray((rt) => {
    const topic = rt.compactString()
    rt.compactArray((rp) => {
      partitions.push({topic, partition: rp.int32(), errorCode: rp.int16(), errorMessage: rp.compactNullableString()})
      rp.skipTaggedFields()
    })
    rt.skipTaggedFields()
  })
  r.skipTaggedFields()
  return {errorCode, errorMessage, partitions}
}

export function sendAlterPartitionReassignments(controller: ProtocolBroker, targets: readonly PartitionTarget[], timeoutMs: number): Promise<AlterReassignmentsResponse> {
  return sendRequest(controller, ALTER_PARTITION_REASSIGNMENTS, encodeAlterPartitionReassignmentsRequest(targets, timeoutMs), decodeAlterPartitionReassignmentsResponse)
}
