import {describe, expect, it} from 'vitest'

import {aclBindingsToCreate, parseAclOperations, parsePrincipal, planAclCreate} from '../../../src/core/acls.js'
import {quotaEntityFromFlags} from '../../../src/cli/quota-flags.js'
import {formatQuotaValue, parseQuotaAssignments, planQuotaChange} from '../../../src/core/quotas.js'

describe('ACL parsing and plans', () => {
  it('takes operations in any spelling, comma-separated or repeated, once each', () => {
    expect(parseAclOperations(['Read,IdempotentWrite', 'describe_configs', 'read'])).toEqual(['read', 'idempotent-write', 'describe-configs'])
    expect(() => parseAclOperations(['raed'])).toThrow('unknown ACL operation "raed" (did you mean "read"?)')
  })

  it('refuses a principal without its type', () => {
    expect(parsePrincipal('User:alice')).toBe('User:alice')
    expect(parsePrincipal('User:*')).toBe('User:*')
    for (const bad of ['alice', 'User:', ':alice', 'User:al ice']) expect(() => parsePrincipal(bad)).toThrow(/malformed principal/)
  })

  it('expands principals x operations, refusing operations the resource type does not take', () => {
    const spec = {principals: ['User:a', 'User:b'], operations: ['write', 'describe'] as const, resourceType: 'topic' as const, resourceName: 'orders', patternType: 'literal' as const, permission: 'allow' as const, host: '*'}
    expect(aclBindingsToCreate({...spec, operations: [...spec.operations]})).toHaveLength(4)
    expect(() => aclBindingsToCreate({...spec, operations: ['read'], resourceType: 'cluster', resourceName: 'kafka-cluster'})).toThrow('Cluster does not take Read')
    expect(() => aclBindingsToCreate({...spec, operations: ['write'], resourceType: 'group'})).toThrow('Group does not take Write')
  })

  it('creates only the bindings the cluster lacks, whatever order they were made in', () => {
    const [w, d] = aclBindingsToCreate({principals: ['User:a'], operations: ['write', 'describe'], resourceType: 'topic', resourceName: 'o', patternType: 'literal', permission: 'allow', host: '*'})
    expect(planAclCreate([w, d], [d])).toEqual({create: [w], existing: [d]})
  })
})

describe('quota parsing and plans', () => {
  it('reads rates with units and percentages', () => {
    expect(parseQuotaAssignments(['producer_byte_rate=1MiB/s', 'consumer_byte_rate=512KiB', 'request_percentage=200%', 'controller_mutation_rate=2.5'])).toEqual({
      producer_byte_rate: 1048576,
      consumer_byte_rate: 524288,
      request_percentage: 200,
      controller_mutation_rate: 2.5,
    })
    expect(() => parseQuotaAssignments(['producer_byte_rate=-1'])).toThrow('not a rate like 1MiB/s')
    expect(formatQuotaValue('producer_byte_rate', 1048576)).toBe('1MiB/s')
    expect(formatQuotaValue('producer_byte_rate', 1000)).toBe('1000/s')
  })

  it('names entities and defaults', () => {
    expect(quotaEntityFromFlags({user: 'alice', 'client-id-default': true})).toEqual([{type: 'user', name: 'alice'}, {type: 'client-id', name: null}])
    expect(() => quotaEntityFromFlags({})).toThrow('name the entity')
    expect(() => quotaEntityFromFlags({user: 'a', 'user-default': true})).toThrow('cannot be combined')
  })

  it('a key set to its live value, or deleted while absent, is unchanged', () => {
    const plan = planQuotaChange([{type: 'user', name: 'a'}], {producer_byte_rate: 100}, {set: {producer_byte_rate: 100, consumer_byte_rate: 5}, delete: ['request_percentage']})
    expect(plan.changes.map((c) => [c.key, c.unchanged])).toEqual([
      ['producer_byte_rate', true],
      ['consumer_byte_rate', false],
      ['request_percentage', true],
    ])
  })
})
