import {describe, expect, it} from 'vitest'
import {type ReplayFlags, replaySettingsFromFlags} from '../../../src/cli/replay-flags.js'

describe('replaySettingsFromFlags', () => {
  const NOW = Date.UTC(2026, 10, 22, 12)

  it('no flags: no filter, nothing else', () => {
    expect(replaySettingsFromFlags('orders.dlq', {}, NOW)).toEqual({dlqTopic: 'orders.dlq', filter: {}})
  })

  it('parses every flag', () => {
    expect(
      replaySettingsFromFlags(
        'orders.dlq',
        {
          to: 'orders.retry',
          group: 'g1',
          'error-type': ['ValueError', ' '],
          since: '2h',
          until: '2026-11-22T11:30:00Z',
          where: ['tenant=acme', 'note=a=b'],
          max: '100',
          rate: '50/s',
          'max-retries': '0',
          'parking-topic': 'orders.parking',
        },
        NOW,
      ),
    ).toEqual({
      dlqTopic: 'orders.dlq',
      to: 'orders.retry',
      group: 'g1',
      filter: {
        errorTypes: ['ValueError'],
        since: NOW - 2 * 3600_000,
        until: Date.UTC(2026, 10, 22, 11, 30),
        where: [
          {name: 'tenant', value: 'acme'},
          {name: 'note', value: 'a=b'},
        ],
      },
      max: 100,
      rate: 50,
      maxRetries: 0,
      parkingTopic: 'orders.parking',
    })
  })

  it.each([
    [{to: 'orders.dlq'}, '--to orders.dlq is the DLQ being replayed'],
    [{'parking-topic': 'orders.dlq', 'max-retries': '3'}, '--parking-topic orders.dlq is the DLQ being replayed'],
    [{'parking-topic': 'p'}, '--parking-topic needs --max-retries'],
    [{to: 'bad topic'}, '--to: "bad topic" is not a valid topic name'],
    [{max: '0'}, '--max: "0" is not a positive whole number'],
    [{max: '-5'}, '--max: "-5" is not a positive whole number'],
    [{rate: 'fast'}, '--rate: "fast" is not a rate'],
    [{rate: '0'}, '--rate: "0" is not a rate'],
    [{'max-retries': 'x'}, '--max-retries: "x" is not a whole number'],
    [{since: 'yesterday'}, '--since: "yesterday" is not a time'],
    [{since: '1h', until: '2h'}, '--since 1h is not before --until 2h'],
    [{where: ['novalue']}, '--where: unknown name "novalue" at column 1'],
    [{where: ['tenant=acme', 'value.x == == 1']}, '--where: unexpected "==" at column 12'],
    [{group: ' '}, '--group: " " is not a group id'],
  ] as const)('%j → %s', (flags, message) => {
    expect(() => replaySettingsFromFlags('orders.dlq', flags as ReplayFlags, NOW)).toThrow(message)
  })
})
