import {describe, expect, it} from 'vitest'

import type {SecurityPlanResult} from '../../../src/app/declarative-security.js'
import {renderSecurityPlanMarkdown, renderSecurityPlanText, securityApplyLines, securitySummaryLine} from '../../../src/cli/render-security-plan.js'
import {summariseSecurityPlan, type SecurityPlan} from '../../../src/core/security-plan.js'

const binding = {principal: 'User:a', host: '*', resourceType: 'topic' as const, resourceName: 't', patternType: 'literal' as const, operation: 'read' as const, permission: 'allow' as const}
const at = {line: 3, col: 5}

const plan: SecurityPlan = {
  changes: [
    {kind: 'user-update', user: 'a', mechanism: 'SCRAM-SHA-512', iterations: 8192, reason: 'iterations 4096 → 8192', location: at},
    {kind: 'acl-create', binding: {...binding, resourceType: 'group', resourceName: 'g'}, location: at},
    {kind: 'quota', entity: [{type: 'client-id', name: null}], label: 'client-id=<default>', entries: [{key: 'producer_byte_rate', from: 1048576, to: 2097152}, {key: 'request_percentage', from: 50, to: null}], location: at},
    {kind: 'quota', entity: [{type: 'user', name: 'old'}], label: 'user=old', entries: [{key: 'consumer_byte_rate', from: 10, to: null}]},
    {kind: 'acl-delete', binding},
    {kind: 'user-delete', user: 'old', mechanism: 'SCRAM-SHA-256'},
  ],
  unmanaged: {acls: [{...binding, principal: 'User:z'}], users: ['kafkit'], quotas: []},
  inSync: {acls: 2, users: 1, quotas: 0},
}
const result: SecurityPlanResult = {plan, summary: summariseSecurityPlan(plan), errors: []}

describe('security plan for people', () => {
  it('one line per change in Kafka words, old → new for quotas, nothing secret', () => {
    expect(renderSecurityPlanText(result)).toBe(`~ user a: update credentials (SCRAM-SHA-512; iterations 4096 → 8192)
+ ALLOW User:a Read Group:g (LITERAL) from *
~ quotas of client-id=<default>
    producer_byte_rate: 1MiB/s → 2MiB/s
    request_percentage: 50% → (remove: not in the file)
- quotas of user=old
    consumer_byte_rate: 10/s → (remove: not in the file)
- ALLOW User:a Read Topic:t (LITERAL) from *
- user old: delete credentials (SCRAM-SHA-256)

Unmanaged (live, not in the file, left alone): 1 ACL of User:z; users kafkit (-o json lists all)

Security plan: ACLs: 1 to create, 1 to delete; credentials: 0 to create, 1 to update, 1 to delete; quotas: 2 entities to change; 3 in sync.`)
  })

  it('summary lines: nothing to do, errors; Markdown marks changes for a diff block', () => {
    const empty: SecurityPlan = {changes: [], unmanaged: {acls: [], users: [], quotas: []}, inSync: {acls: 1, users: 0, quotas: 1}}
    expect(securitySummaryLine(summariseSecurityPlan(empty))).toBe('No security changes. 2 in sync (ACLs, credentials, quota entities).')
    expect(securitySummaryLine(summariseSecurityPlan(empty), 2)).toBe('Security plan has 2 errors; nothing can be applied.')
    const md = renderSecurityPlanMarkdown(result)
    expect(md).toContain('```diff\n! user a: update credentials')
    expect(md).toContain('- ALLOW User:a Read Topic:t (LITERAL) from *')
  })

  it('apply: failures each on a line, then what the re-plan found', () => {
    expect(
      securityApplyLines({
        applied: [{kind: 'acl-create', item: 'x'}],
        failed: [{kind: 'quota', item: 'user=a', error: 'not authorized for this cluster operation'}],
        remaining: {summary: result.summary, changes: plan.changes.slice(2, 3)},
      }),
    ).toEqual(['Applied 1 security change.', 'FAILED quota user=a: not authorized for this cluster operation', '3 in sync; 1 security change(s) still differ (run kafkit topics plan)'])
  })
})
