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
