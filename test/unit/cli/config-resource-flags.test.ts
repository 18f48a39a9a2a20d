import {describe, expect, it} from 'vitest'

import {resourceFromFlags} from '../../../src/cli/config-resource-flags.js'

describe('resourceFromFlags', () => {
  it('takes exactly one of --broker, --broker-default, --topic', () => {
    expect(resourceFromFlags({broker: '2'})).toEqual({type: 'broker', name: '2'})
    expect(resourceFromFlags({broker: '007'})).toEqual({type: 'broker', name: '7'})
    expect(resourceFromFlags({'broker-default': true})).toEqual({type: 'broker', name: ''})
    expect(resourceFromFlags({topic: 'orders'})).toEqual({type: 'topic', name: 'orders'})
    expect(() => resourceFromFlags({})).toThrow(/^name what to configure: --broker ID, --broker-default/)
    expect(() => resourceFromFlags({broker: '1', topic: 'x'})).toThrow(/^--broker and --topic cannot be used together/)
    expect(() => resourceFromFlags({broker: '-1'})).toThrow('--broker: "-1" is not a broker id')
    expect(() => resourceFromFlags({topic: ' '})).toThrow('--topic: the topic name is empty')
  })
})
