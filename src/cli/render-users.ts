/** Tables of `kafkit users list | create | delete` (never a password). */
import type {UserListing} from '../app/users.js'
import {plural, renderTable} from './render.js'

export function renderUserList(users: UserListing[]): string {
  if (users.length === 0) return 'no SCRAM users'
  const rows = users.map((u) => [u.user, u.credentials.map((c) => `${c.mechanism} (${c.iterations} iterations)`).join(', ')])
  return `${renderTable(['USER', 'CREDENTIALS'], rows)}\n\n${plural(users.length, 'user')}`
}

export interface UserChangeOutcome {
  user: string
  mechanisms: string[]
  action: 'created' | 'updated' | 'deleted'
  dryRun: boolean
}

export function renderUserChange(r: UserChangeOutcome): string {
  const mech = r.mechanisms.join(', ')
  if (r.dryRun) return `dry run: would ${r.action === 'created' ? 'create' : r.action === 'updated' ? 'replace the password of' : 'delete'} user ${r.user} (${mech}); nothing changed`
  return `${r.action} user ${r.user} (${mech})`
}
