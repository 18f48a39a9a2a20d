import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {findFreeBasePort, killNode, restartNode, startLocalCluster, stopLocalCluster, type LocalCluster} from '../../src/local/harness.js'
import {kafkaTool, kafkit} from '../helpers.js'

/**
 * Faults on a 3-node cluster of this file's own (killing brokers would disturb other tests):
 * a broker dies while `topics apply` reassigns replicas onto it.
 */
describe('a broker killed during topics apply', () => {
  let cluster: LocalCluster
  beforeAll(async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kafkit-faults-'))
    cluster = await startLocalCluster({nodes: 3, port: await findFreeBasePort(3), stateDir})
  })
  afterAll(async () => {
    if (cluster) await stopLocalCluster(cluster.stateDir, {removeData: true, graceMs: 5000})
  })

  it('reports the stuck reassignment, exits 1, and a re-run after the broker returns converges', async () => {
    const bootstrap = cluster.bootstrap
    const topic = `faults.orders.created`
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-faults-spec-'))
    const spec = (rf: number) => {
      const file = join(dir, `rf${rf}.yaml`)
      writeFileSync(file, `version: 1
policy: {minReplicationFactor: {severity: off}, minInsyncReplicas: {severity: off}}
topics:
  - {name: ${topic}, partitions: 3, replicationFactor: ${rf}, config: {min.insync.replicas: 1}}
`)
      return file
    }
    expect((await kafkit(['topics', 'apply', '-f', spec(1), '--yes'], {bootstrap})).code).toBe(0)

    // Broker 3 dies; for broker.session.timeout.ms (9 s) the cluster still lists it, so the plan
    // places new replicas on it and the reassignment cannot finish.
    killNode(cluster, 3)
    const stuck = await kafkit(['topics', 'apply', '-f', spec(3), '--yes', '--reassignment-timeout', '6s', '--timeout', '5s'], {bootstrap})
    const said = stuck.stdout + stuck.stderr
    expect(stuck.code).toBe(1)
    expect(said, said).toMatch(/FAILED replication faults\.orders\.created: reassignment (of \d+ partition\(s\) still in progress|not confirmed after 6s: .+)/)
    // Never a false "in sync": either the re-plan says the change failed, or it could not run.
    expect(said, said).toMatch(/change\(s\) failed: fix the cause and run apply again|could not plan again after applying: /)

    await restartNode(cluster, 3)
    let converged = await kafkit(['topics', 'apply', '-f', spec(3), '--yes', '--reassignment-timeout', '60s'], {bootstrap})
    expect(converged.code, converged.stderr).toBe(0)
    converged = await kafkit(['topics', 'plan', '-f', spec(3), '--detailed-exitcode'], {bootstrap})
    expect(converged.code, converged.stdout + converged.stderr).toBe(0)
    const described = kafkaTool('topics', ['--describe', '--topic', topic], {bootstrap})
    for (const m of described.stdout.matchAll(/Replicas: ([\d,]+)\s+Isr: ([\d,]+)/g)) {
      expect(m[1].split(',').sort()).toEqual(['1', '2', '3'])
      expect(m[2].split(',').sort()).toEqual(['1', '2', '3'])
    }
  })
})
