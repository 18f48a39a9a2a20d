/**
 * kafkajs 2.2.4 decodes the `error_message` of each topic in a CreateTopics v1+ response and then
 * throws KafkaJSCreateTopicError with only the error code's generic text: POLICY_VIOLATION for
 * "Excessively large number of partitions per request.", INVALID_REPLICATION_FACTOR without the
 * broker count. This wraps the response parsers of v1-v3 so that each thrown per-topic error also
 * carries the broker's text as `brokerMessage` (read by translateKafkaError). The decoded response
 * and what kafkajs throws are otherwise unchanged.
 */
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

interface CreateTopicsResponse {
  topicErrors?: {topic: string; errorMessage?: string | null}[]
}
type ResponseModule = {parse: (data: CreateTopicsResponse) => Promise<unknown>}

let installed = false

export function keepCreateTopicsErrorMessages(): void {
  if (installed) return
  installed = true
  const modules: ResponseModule[] = []
  try {
    // Written for kafkajs 2.2.4 (pinned in package.json): its v1-v3 parsers drop error_message.
    if ((require('kafkajs/package.json') as {version: string}).version !== '2.2.4') return
    for (const version of ['v1', 'v2', 'v3']) modules.push(require(`kafkajs/src/protocol/requests/createTopics/${version}/response.js`) as ResponseModule)
  } catch {
    return
  }
  for (const module of modules) {
    const parse = module.parse
    module.parse = async (data) => {
      try {
        return await parse(data)
      } catch (error) {
        for (const topicError of (error as {errors?: {topic?: string; brokerMessage?: string}[]}).errors ?? []) {
          const message = data.topicErrors?.find((t) => t.topic === topicError.topic)?.errorMessage
          if (message) topicError.brokerMessage = message
        }
        throw error
      }
    }
  }
}
