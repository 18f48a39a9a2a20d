/** The kafkit config file (contexts): where it is, and reading it with one-line errors. */
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {parseKafkitConfig, type KafkitConfig} from '../core/contexts.js'
import {KafkitError, fileErrorCause} from '../errors.js'

/** `$KAFKIT_CONFIG`, else `$XDG_CONFIG_HOME/kafkit/config.yaml` (default ~/.config). */
export function configFilePath(): string {
  return process.env.KAFKIT_CONFIG || join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'kafkit', 'config.yaml')
}

/** Reads the config file; a missing file is an empty config, a broken or unreadable one an error. */
export function loadKafkitConfig(path = configFilePath()): KafkitConfig | undefined {
  if (!existsSync(path)) return undefined
  return parseKafkitConfig(readConfigFile(path), path)
}

/** The config file's text; an unreadable path is one line naming it and where it came from. */
export function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${fileErrorCause(error)})`
    throw new KafkitError(`config file ${path}${process.env.KAFKIT_CONFIG ? ' (KAFKIT_CONFIG)' : ''} ${cause}`)
  }
}
