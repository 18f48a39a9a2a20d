#!/usr/bin/env node
// Silence kafkajs's partitioner notice before anything can load kafkajs.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1'
import {execute, settings} from '@oclif/core'

// This entry point runs the compiled dist/ only (bin/dev.js runs the TypeScript sources). Without
// this, oclif looks for TypeScript sources whenever NODE_ENV is "development" or "test": it loads
// the typescript package to read tsconfig.json and tries to register tsx/ts-node, which costs
// hundreds of milliseconds per command, and an installed kafkit (no typescript) prints
// "Warning: Could not find typescript ..." on every command.
settings.enableAutoTranspile = false

await execute({dir: import.meta.url})
// Every command disconnects its clients; if a stray socket or timer still holds the event loop,
// do not hang a CI job over it once output has had time to drain.
setTimeout(() => process.exit(), 2000).unref()
