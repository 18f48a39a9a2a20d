/**
 * An unknown command is one kafkit line and exit 1, with the closest command (oclif's default is a
 * boxed "command topics:lsit not found", exit 2, spelt with its internal ":" separator).
 */
import type {Hook} from '@oclif/core'

import {didYouMean} from '../../core/did-you-mean.js'

const hook: Hook.CommandNotFound = async function (opts) {
  const commands = opts.config.commandIDs.filter((id) => !id.startsWith('__')).map((id) => id.replaceAll(':', ' '))
  const asked = opts.id.replaceAll(':', ' ')
  process.stderr.write(`kafkit: unknown command "${asked}"${didYouMean(asked, commands)} — kafkit --help lists the commands\n`)
  process.exit(1)
}

export default hook
