/**
 * OffsetDelete v0 (KIP-496, api key 47, Kafka 2.4+; the only version, not flexible, accepted by
 * 3.9 and 4.x): deletes a group's committed offsets for some partitions. Sent to the group's
 * coordinator; refused per partition (GROUP_SUBSCRIBED_TO_TOPIC) while a member of the group
 * consumes the topic.
 *
 *   OffsetDelete Request (Version: 0) => group_id [topics]
 *     group_id => STRING
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index
 *         partition_index => INT32
 *
 *   OffsetDelete Response (Version: 0) => error_code throttle_time_ms [topics]
 *     error_code => INT16
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code
 *         partition_index => INT32
 *         error_code => INT16
 */
import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {sendRequest, type ApiSpec, type ProtocolBroker} from './wire.js'

export const OFFSET_DELETE: ApiSpec = {key: 47, name: 'OffsetDelete', version: 0, flexible: false, since: '2.4', kip: 'KIP-496'}

export interface OffsetDeleteTopic {
  readonly topic: string
  readonly partitions: readonly number[]
}

export interface OffsetDeleteResponse {
  /** The group's error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, NOT_COORDINATOR, ...). */
  readonly errorCode: number
  readonly throttleTimeMs: number
  readonly topics: readonly {readonly topic: string; readonly partitions: readonly {readonly partition: number; readonly errorCode: number}[]}[]
}

export function encodeOffsetDeleteRequest(groupId: string, topics: readonly OffsetDeleteTopic[]): Buffer {
  return new FlexibleWriter()
    .string(groupId)
    .array(topics, (t, w) => {
      w.string(t.topic)
      w.array(t.partitions, (p, wp) => wp.int32(p))
    })
    .toBuffer()
}

export function decodeOffsetDeleteResponse(body: Buffer): OffsetDeleteResponse {
  const r = new FlexibleReader(body)
  const errorCode = r.int16()
  const throttleTimeMs = r.int32()
  const topics = r.array((rt) => ({
    topic: rt.string(),
    partitions: rt.array((rp) => ({partition: rp.int32(), errorCode: rp.int16()})),
  }))
  return {errorCode, throttleTimeMs, topics}
}

/** One request to the group's coordinator. */
export function sendOffsetDelete(coordinator: ProtocolBroker, groupId: string, topics: readonly OffsetDeleteTopic[]): Promise<OffsetDeleteResponse> {
  return sendRequest(coordinator, OFFSET_DELETE, encodeOffsetDeleteRequest(groupId, topics), decodeOffsetDeleteResponse)
}
