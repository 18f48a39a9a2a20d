import {expect} from 'vitest'

import {KafkitError} from '../../src/errors.js'

/** The KafkitError `fn` throws; the test fails when it throws something else or nothing. */
export function kafkitErrorOf(fn: () => unknown): KafkitError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(KafkitError)
    return e as KafkitError
  }
  throw new Error('expected an error')
}
