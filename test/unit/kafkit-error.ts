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

/** The KafkitError `promise` rejects with; the test fails when it rejects with something else or resolves. */
export async function rejection(promise: Promise<unknown>): Promise<KafkitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(KafkitError)
  return error as KafkitError
}
