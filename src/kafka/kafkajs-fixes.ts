/**
 * Fixes for kafkajs 2.2.4 internals, installed before kafkajs is first loaded.
 *
 * groupMessagesPerPartition copies the partition's array for every message
 * (`[...current, message]`), which is quadratic in the batch size: for batches of a few thousand
 * messages it was the biggest cost of `kafkit produce` (kafkajs PR #1576, never released). The
 * replacement is the same function, linear: same partitioner calls in the same order, the same
 * result shape ({[partition]: messages in input order}).
 */
import Module, {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

type Partitioner = (args: {topic: string; partitionMetadata: unknown[]; message: unknown}) => number

function groupMessagesPerPartition({topic, partitionMetadata, messages, partitioner}: {topic: string; partitionMetadata: unknown[]; messages: unknown[]; partitioner: Partitioner}) {
  const result: Record<number, unknown[]> = {}
  if (partitionMetadata.length === 0) return result
  for (const message of messages) {
    const partition = partitioner({topic, partitionMetadata, message})
    ;(result[partition] ??= []).push(message)
  }
  return result
}

let installed = false

export function installKafkaJsFixes(): void {
  if (installed) return
  installed = true
  let path: string
  try {
    // Written for kafkajs 2.2.4 (pinned in package.json): only that version gets the replacement.
    if ((require('kafkajs/package.json') as {version: string}).version !== '2.2.4') return
    path = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js')
  } catch {
    return
  }
  // Only when kafkajs has not loaded its own yet (it is required once, by sendMessages.js).
  if (require.cache[path]) return
  const fixed = new Module(path)
  fixed.filename = path
  fixed.loaded = true
  fixed.exports = groupMessagesPerPartition
  require.cache[path] = fixed
}
