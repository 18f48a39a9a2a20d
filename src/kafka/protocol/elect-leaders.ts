/**
 * ElectLeaders v2 (KIP-460, api key 43; v2 is the first flexible version, accepted by 3.9 and
 * 4.x): a preferred (or unclean) leader election for some partitions, or every partition when
 * the list is null. Sent to the controller (a broker forwards it in KRaft).
 *
 *   ElectLeaders Request (Version: 2) => election_type [topic_partitions] timeout_ms TAG_BUFFER
 *     election_type => INT8                  (0 = preferred, 1 = unclean)
 *     topic_partitions => topic [partitions] TAG_BUFFER   (COMPACT_NULLABLE_ARRAY: null = all)
 *       topic => COMPACT_STRING
 *       partitions => INT32
 *     timeout_ms => INT32
 *
 *   ElectLeaders Response (Version: 2) => throttle_time_ms error_code [replica_election_results] TAG_BUFFER
 *     throttle_time_ms => INT32
 *     error_code => INT16
 *     replica_election_results => topic [partition_result] TAG_BUFFER
 *       topic => COMPACT_STRING
 *       partition_result => partition_id error_code error_message TAG_BUFFER
 *         partition_id => INT32
 *         error_code => INT16
 *         error_message => COMPACT_NULLABLE_STRING
 */
import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {sendRequest, type ApiSpec, type ProtocolBroker} from './wire.js'

export const ELECT_LEADERS: ApiSpec = {key: 43, name: 'ElectLeaders', version: 2, flexible: true, since: '3.0', kip: 'KIP-460'}

const ELECTION_TYPES = {preferred: 0, unclean: 1} as const
export type ElectionType = keyof typeof ELECTION_TYPES

export interface ElectionTopic {
  readonly topic: string
  readonly partitions: readonly number[]
}

export interface ElectLeadersResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly {readonly partition: number; readonly errorCode: number; readonly errorMessage: string | null}[]
  }[]
}

export function encodeElectLeadersRequest(type: ElectionType, topics: readonly ElectionTopic[] | null, timeoutMs: number): Buffer {
  return new FlexibleWriter()
    .int8(ELECTION_TYPES[type])
    .compactArray(topics, (t, w) => {
      w.compactString(t.topic)
      w.compactArray(t.partitions, (p, wp) => wp.int32(p))
      w.noTaggedFields()
    })
    .int32(timeoutMs)
    .noTaggedFields()
    .toBuffer()
}

export function decodeElectLeadersResponse(body: Buffer): ElectLeadersResponse {
  const r = new FlexibleReader(body)
  const throttleTimeMs = r.int32()
  const errorCode = r.int16()
  const topics = r.compactArray((rt) => {
    const topic = rt.compactString()
    const partitions = rt.compactArray((rp) => {
      const p = {partition: rp.int32(), errorCode: rp.int16(), errorMessage: rp.compactNullableString()}
      rp.skipTaggedFields()
      return p
    })
    rt.skipTaggedFields()
    return {topic, partitions}
  })
  r.skipTaggedFields()
  return {throttleTimeMs, errorCode, topics}
}

export function sendElectLeaders(controller: ProtocolBroker, type: ElectionType, topics: readonly ElectionTopic[] | null, timeoutMs: number): Promise<ElectLeadersResponse> {
  return sendRequest(controller, ELECT_LEADERS, encodeElectLeadersRequest(type, topics, timeoutMs), decodeElectLeadersResponse)
}
