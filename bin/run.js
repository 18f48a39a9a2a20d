#!/usr/bin/env node
// Silence kafkajs's partitioner notice before anything can load kafkajs.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1'
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
// Every command disconnects its clients; if a stray socket or timer still holds the event loop,
// do not hang a CI job over it once output has had time to drain.
setTimeout(() => process.exit(), 2000).unref()
