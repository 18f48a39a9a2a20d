#!/usr/bin/env -S node --import tsx --no-warnings
// Runs the TypeScript sources directly (no build); same behaviour as bin/run.js.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1'
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
