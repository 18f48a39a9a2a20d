/**
 * The schema registry for integration tests: SCHEMA_REGISTRY_URL when set, otherwise the
 * project's own (Apicurio Registry, src/local/registry.ts), started by the first test file that
 * asks and shared by the others of the run; test/global-setup.ts stops it at the end.
 */
import {mkdirSync, rmdirSync} from 'node:fs'
import {join} from 'node:path'

import {inject} from 'vitest'

import {findFreeBasePort, isOurProcess} from '../src/local/harness.js'
import {readRegistryState, startRegistry} from '../src/local/registry.js'

/** The first start on a new machine builds the registry with Maven (downloads, a few minutes). */
export const REGISTRY_START_TIMEOUT_MS = 600_000

export async function testRegistryUrl(): Promise<string> {
  if (process.env.SCHEMA_REGISTRY_URL) return process.env.SCHEMA_REGISTRY_URL
  const stateDir = inject('schemaRegistryStateDir')
  // Test files run in several processes: a directory created atomically is the lock.
  const lock = join(stateDir, '.starting')
  const deadline = Date.now() + REGISTRY_START_TIMEOUT_MS
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (Date.now() > deadline) throw new Error(`the test schema registry in ${stateDir} did not start in time`)
      await new Promise((r) => setTimeout(r, 500))
    }
  }
  try {
    const running = readRegistryState(stateDir)
    if (running && isOurProcess(running.pid, stateDir)) return running.url
    const log = (line: string) => process.stderr.write(`[registry] ${line}\n`)
    const registry = await startRegistry({stateDir, port: await findFreeBasePort(1), log, timeoutMs: 180_000})
    return registry.url
  } finally {
    rmdirSync(lock)
  }
}
