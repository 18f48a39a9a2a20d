import {createHash, createHmac} from 'node:crypto'

import {describe, expect, it} from 'vitest'

import {kafkaErrorOfCode} from '../../../src/kafka/errors.js'
import {
  decodeAlterClientQuotasResponse,
  decodeDescribeClientQuotasResponse,
  encodeAlterClientQuotasRequest,
  encodeDescribeClientQuotasRequest,
} from '../../../src/kafka/protocol/client-quotas.js'
import {
  decodeAlterUserScramCredentialsResponse,
  decodeDescribeUserScramCredentialsResponse,
  encodeAlterUserScramCredentialsRequest,
  encodeDescribeUserScramCredentialsRequest,
  scramSaltedPassword,
  scramUpsertion,
} from '../../../src/kafka/protocol/scram-credentials.js'

/** Hex with spaces and comments (`# ...` to the end of the line) allowed. */
const hex = (s: string) => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex')

describe('DescribeClientQuotas v1', () => {
  it('encodes exact, default and any match components', () => {
    const body = encodeDescribeClientQuotasRequest(
      [
        {type: 'user', match: 'exact', name: 'al'},
        {type: 'client-id', match: 'default'},
        {type: 'ip', match: 'any'},
      ],
      true,
    )
    expect(body.toString('hex')).toBe(
      hex(`
        04                          # components: 3
        05 75736572 00 03 616c 00   #   "user", exact, "al"
        0a 636c69656e742d6964 01 00 00   #   "client-id", default, null
        03 6970 02 00 00            #   "ip", any, null
        01                          # strict
        00                          # TAG_BUFFER
      `).toString('hex'),
    )
  })

  it('decodes entities (null name = the default) and float64 values; null entries as none', () => {
    expect(
      decodeDescribeClientQuotasResponse(
        hex(`
          00000000 0000 00          # throttle, error 0, message null
          02                        # entries: 1
          03                        #   entity: 2
          05 75736572 03 616c 00    #     user "al"
          0a 636c69656e742d6964 00 00   #     client-id default (null)
          02                        #   values: 1
          13 726571756573745f70657263656e74616765 4029000000000000 00   #     request_percentage 12.5
          00                        #   TAG_BUFFER
          00                        # TAG_BUFFER
        `),
      ),
    ).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      entries: [
        {
          entity: [
            {type: 'user', name: 'al'},
            {type: 'client-id', name: null},
          ],
          values: {request_percentage: 12.5},
        },
      ],
    })
    expect(decodeDescribeClientQuotasResponse(hex('00000000 001d 05 6e6f7065 00 00'))).toEqual({throttleTimeMs: 0, errorCode: 29, errorMessage: 'nope', entries: []})
  })
})

describe('AlterClientQuotas v1', () => {
  it('encodes a set (value, remove false) and a removal (0, remove true)', () => {
    const body = encodeAlterClientQuotasRequest(
      [
        {
          entity: [{type: 'user', name: 'al'}],
          ops: [
            {key: 'producer_byte_rate', value: 1024},
            {key: 'consumer_byte_rate', value: null},
          ],
        },
      ],
      false,
    )
    expect(body.toString('hex')).toBe(
      hex(`
        02                          # entries: 1
        02 05 75736572 03 616c 00   #   entity: user "al"
        03                          #   ops: 2
        13 70726f64756365725f627974655f72617465 4090000000000000 00 00   #     producer_byte_rate 1024, remove false
        13 636f6e73756d65725f627974655f72617465 0000000000000000 01 00   #     consumer_byte_rate, remove true
        00                          #   TAG_BUFFER
        00                          # validate_only false
        00                          # TAG_BUFFER
      `).toString('hex'),
    )
  })

  it('decodes per-entity errors', () => {
    expect(
      decodeAlterClientQuotasResponse(
        hex(`
          00000000                  # throttle
          02                        # entries: 1
          002a 04 626164            #   error 42 INVALID_REQUEST "bad"
          02 05 75736572 03 616c 00 #   entity user "al"
          00                        #   TAG_BUFFER
          00                        # TAG_BUFFER
        `),
      ),
    ).toEqual({throttleTimeMs: 0, results: [{entity: [{type: 'user', name: 'al'}], errorCode: 42, errorMessage: 'bad'}]})
  })
})

describe('SCRAM credentials (KIP-554)', () => {
  it('computes the salted password of RFC 5802: the RFC 7677 SCRAM-SHA-256 exchange verifies with it', () => {
    // RFC 7677 section 3: user "user", password "pencil".
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64')
    const salted = scramSaltedPassword('SCRAM-SHA-256', 'pencil', salt, 4096)
    const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest()
    const clientKey = hmac(salted, 'Client Key')
    const storedKey = createHash('sha256').update(clientKey).digest()
    const authMessage = [
      'n=user,r=rOprNGfwEbeRWgbNEkqO',
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    ].join(',')
    const signature = hmac(storedKey, authMessage)
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]))
    expect(proof.toString('base64')).toBe('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')
    const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage)
    expect(serverSignature.toString('base64')).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')
    expect(scramSaltedPassword('SCRAM-SHA-512', 'pencil', salt, 4096)).toHaveLength(64)
  })

  it('encodes deletions and upsertions (salt and salted password as compact bytes)', () => {
    const up = scramUpsertion('al', 'SCRAM-SHA-512', 'pw', 4096, Buffer.from([0xaa, 0xbb]))
    expect(up.saltedPassword).toEqual(scramSaltedPassword('SCRAM-SHA-512', 'pw', Buffer.from([0xaa, 0xbb]), 4096))
    const body = encodeAlterUserScramCredentialsRequest([{user: 'bo', mechanism: 'SCRAM-SHA-256'}], [{...up, saltedPassword: Buffer.from([1, 2, 3])}])
    expect(body.toString('hex')).toBe(
      hex(`
        02                          # deletions: 1
        03 626f 01 00               #   "bo", SCRAM-SHA-256, TAG_BUFFER
        02                          # upsertions: 1
        03 616c                     #   name "al"
        02                          #   mechanism SCRAM-SHA-512
        00001000                    #   iterations 4096
        03 aabb                     #   salt
        04 010203                   #   salted_password
        00                          #   TAG_BUFFER
        00                          # TAG_BUFFER
      `).toString('hex'),
    )
    expect(encodeDescribeUserScramCredentialsRequest(null).toString('hex')).toBe('0000')
    expect(encodeDescribeUserScramCredentialsRequest(['al']).toString('hex')).toBe('0203616c0000')
  })

  it('decodes users, their mechanisms and per-user errors', () => {
    expect(
      decodeDescribeUserScramCredentialsResponse(
        hex(`
          00000000 0000 00          # throttle, error 0, message null
          03                        # results: 2
          03 616c 0000 00           #   "al", ok
          03 02 00002000 00 01 00001000 00   #   SHA-512 8192, SHA-256 4096
          00                        #   TAG_BUFFER
          03 626f 005b 05 6e6f6e65 01 00     #   "bo", 91 RESOURCE_NOT_FOUND "none", no credentials
          00                        # TAG_BUFFER
        `),
      ),
    ).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      users: [
        {
          user: 'al',
          errorCode: 0,
          errorMessage: null,
          credentials: [
            {mechanism: 'SCRAM-SHA-512', iterations: 8192},
            {mechanism: 'SCRAM-SHA-256', iterations: 4096},
          ],
        },
        {user: 'bo', errorCode: 91, errorMessage: 'none', credentials: []},
      ],
    })
    expect(decodeAlterUserScramCredentialsResponse(hex('00000000 02 03 616c 005d 00 00 00'))).toEqual({
      throttleTimeMs: 0,
      results: [{user: 'al', errorCode: 93, errorMessage: null}],
    })
  })

  it('words error codes kafkajs does not know, and prefers the broker\'s words where they name the detail', () => {
    expect(kafkaErrorOfCode(91)).toEqual({code: 'RESOURCE_NOT_FOUND', message: 'no such user (no SCRAM credential)'})
    expect(kafkaErrorOfCode(86, 'The group has active consumer(s) subscribed.')).toEqual({
      code: 'GROUP_SUBSCRIBED_TO_TOPIC',
      message: 'the group is still subscribed to the topic (a member consumes it)',
    })
    expect(kafkaErrorOfCode(40, 'Invalid value soon for configuration retention.ms.')).toEqual({code: 'INVALID_CONFIG', message: 'Invalid value soon for configuration retention.ms'})
    expect(kafkaErrorOfCode(40)).toEqual({code: 'INVALID_CONFIG', message: 'invalid config'})
    expect(kafkaErrorOfCode(999)).toEqual({code: 'KAFKA_ERROR_999', message: 'Kafka error code 999'})
  })
})
