/**
 * Where `kafkit users create` reads a password: stdin (--password-stdin), a file
 * (--password-file) or an env var (--password-env). Never an argument: it would stay in the
 * shell history and show in `ps` to every user of the machine.
 */
import {readFileSync} from 'node:fs'

import {KafkitError, fileErrorCause} from '../errors.js'

export interface PasswordFlags {
  'password-stdin'?: boolean
  'password-file'?: string
  'password-env'?: string
}

const fail = (message: string, hint?: string) => new KafkitError(message, {code: 'PASSWORD_SOURCE', hint})

export const PASSWORD_SOURCES = '--password-stdin, --password-file FILE or --password-env VAR'

/** The one line for a password typed as an argument or flag value. */
export function passwordAsArgument(): KafkitError {
  return fail(`a password is never taken as an argument (shell history, ps): use ${PASSWORD_SOURCES}`)
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw fail('--password-stdin reads a pipe, not a terminal: echo "$PASS" | kafkit users create ... --password-stdin')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** The password, its one trailing newline removed; exactly one source; empty is refused. */
export async function readPassword(flags: PasswordFlags): Promise<string> {
  const given = [flags['password-stdin'] ? 'stdin' : '', flags['password-file'] !== undefined ? 'file' : '', flags['password-env'] !== undefined ? 'env' : ''].filter(Boolean)
  if (given.length === 0) throw fail(`no password: give ${PASSWORD_SOURCES}`)
  if (given.length > 1) throw fail(`one password source only: ${PASSWORD_SOURCES}`)
  let text: string
  let from: string
  if (flags['password-env'] !== undefined) {
    const name = flags['password-env']
    from = `env var ${name}`
    const value = process.env[name]
    if (value === undefined) throw fail(`password env var ${name} is not set`)
    text = value
  } else if (flags['password-file'] !== undefined) {
    from = `file ${flags['password-file']}`
    try {
      text = readFileSync(flags['password-file'], 'utf8')
    } catch (error) {
      throw fail(`cannot read the password file ${flags['password-file']}: ${fileErrorCause(error)}`)
    }
  } else {
    from = 'stdin'
    text = await readStdin()
  }
  const password = text.replace(/\r?\n$/, '')
  if (password === '') throw fail(`the password from ${from} is empty`)
  return password
}
