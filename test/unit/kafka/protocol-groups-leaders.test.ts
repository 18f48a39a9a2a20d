import {describe, expect, it} from 'vitest'

import {decodeElectLeadersResponse, encodeElectLeadersRequest} from '../../../src/kafka/protocol/elect-leaders.js'
import {decodeOffsetDeleteResponse, encodeOffsetDeleteRequest} from '../../../src/kafka/protocol/offset-delete.js'

/** Hex with spaces and comments (`# ...` to the end of the line) allowed. */
const hex = (s: string) => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex')

describe('OffsetDelete v0 (not flexible)', () => {
  it('encodes classic strings and arrays', () => {
    expect(encodeOffsetDeleteRequest('g1', [{topic: 'orders', partitions: [0, 2]}]).toString('hex')).toBe(
      hex(`
        0002 6731                   # group_id "g1" (INT16 length)
        00000001                    # topics: 1 (INT32 length)
        0006 6f7264657273           #   name "orders"
        00000002                    #   partitions: 2
        00000000 00000002           #     partition_index 0, 2
      `).toString('hex'),
    )
  })

  it('decodes the group error, then per-partition errors', () => {
    expect(
      decodeOffsetDeleteResponse(
        hex(`
          0000                      # error_code 0
          00000000                  # throttle_time_ms
          00000001                  # topics: 1
          0006 6f7264657273         #   name "orders"
          00000002                  #   partitions: 2
          00000000 0000             #     0: ok
          00000001 0056             #     1: 86 GROUP_SUBSCRIBED_TO_TOPIC
        `),
      ),
    ).toEqual({
      errorCode: 0,
      throttleTimeMs: 0,
      topics: [{topic: 'orders', partitions: [{partition: 0, errorCode: 0}, {partition: 1, errorCode: 86}]}],
    })
    expect(decodeOffsetDeleteResponse(hex('0045 00000000 00000000'))).toEqual({errorCode: 69, throttleTimeMs: 0, topics: []})
  })
})

describe('ElectLeaders v2', () => {
  it('encodes a preferred election of some partitions, and of all (null)', () => {
    expect(encodeElectLeadersRequest('preferred', [{topic: 't', partitions: [0, 1]}], 30_000).toString('hex')).toBe(
      hex(`
        00                          # election_type 0 = preferred
        02                          # topic_partitions: 1
        02 74                       #   topic "t"
        03 00000000 00000001        #   partitions [0, 1]
        00                          #   TAG_BUFFER
        00007530                    # timeout_ms 30000
        00                          # TAG_BUFFER
      `).toString('hex'),
    )
    expect(encodeElectLeadersRequest('unclean', null, 1000).toString('hex')).toBe('01' + '00' + '000003e8' + '00')
  })

  it('decodes per-partition results with their messages', () => {
    expect(
      decodeElectLeadersResponse(
        hex(`
          00000000                  # throttle_time_ms
          0000                      # error_code
          02                        # replica_election_results: 1
          02 74                     #   topic "t"
          03                        #   partition_result: 2
          00000000 0000 00 00       #     0: ok, message null
          00000001 0054 05 6e6f7065 00   #     1: 84 ELECTION_NOT_NEEDED "nope"
          00                        #   TAG_BUFFER
          00                        # TAG_BUFFER
        `),
      ),
    ).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [
        {
          topic: 't',
          partitions: [
            {partition: 0, errorCode: 0, errorMessage: null},
            {partition: 1, errorCode: 84, errorMessage: 'nope'},
          ],
        },
      ],
    })
  })
})
