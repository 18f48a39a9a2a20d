import {Flags} from '@oclif/core'

import {KafkitError} from '../errors.js'

/**
 * The gate in front of every destructive operation: `--yes` (or `--execute`) passes; a person at
 * a terminal is asked; anything else (CI, pipes) is refused with the flag to add, never prompted.
 */
export async function confirmDestructive(opts: {question: string; confirmed: boolean; flag: string}): Promise<void> {
  if (opts.confirmed) return
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new KafkitError(`not confirmed: stdin is not a terminal, so kafkit will not ask — add ${opts.flag} to proceed`)
  }
  const {confirm} = await import('@inquirer/prompts')
  let ok = false
  try {
    ok = await confirm({message: opts.question, default: false}, {output: process.stderr})
  } catch {
    ok = false // Ctrl-C at the prompt
  }
  if (!ok) throw new KafkitError('aborted, nothing changed')
}

/** The flags of a command that changes something after showing old -> new (configs, quotas). */
export const changeFlags = {
  'dry-run': Flags.boolean({description: 'show what would change (old -> new); change nothing'}),
  yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
}

/** Unless it is a dry run or nothing changes: asks (or needs --yes), then applies. Whether it applied. */
export async function applyConfirmed(opts: {changes: boolean; flags: {'dry-run': boolean; yes: boolean}; question: string; apply: () => Promise<void>}): Promise<boolean> {
  if (opts.flags['dry-run'] || !opts.changes) return false
  await confirmDestructive({question: opts.question, confirmed: opts.flags.yes, flag: '--yes (or --dry-run to only see the change)'})
  await opts.apply()
  return true
}
