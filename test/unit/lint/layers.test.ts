/**
 * The import boundaries between src/ folders are enforced by ESLint (eslint.config.js); each case
 * here is a one-line file that `npm run lint` must refuse, or accept, in that folder.
 */
import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'

const eslint = new ESLint({cwd: process.cwd()})

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, {filePath})
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

// (the first lint loads typescript-eslint: seconds on a busy machine)
describe('layer boundaries (npm run lint)', {timeout: 60_000}, () => {
  it.each([
    ['src/commands/topics/x.ts', "import {openConnection} from '../../kafka/connection.js'", /commands call use cases/],
    ['src/commands/x.ts', "import {Kafka} from 'kafkajs'", /commands call use cases/],
    ['src/core/x.ts', "import {readFileSync} from 'node:fs'", /core is pure/],
    ['src/core/x.ts', "import {listTopics} from '../app/topics.js'", /core is pure/],
    ['src/core/x.ts', "import {Flags} from '@oclif/core'", /core is pure/],
    ['src/app/x.ts', "import {renderTable} from '../cli/render.js'", /use cases do not render/],
    ['src/app/x.ts', "import {Kafka} from 'kafkajs'", /use cases do not render/],
    ['src/cli/render-x.ts', "import {offsetsClient} from '../kafka/groups.js'", /Kafka is reached through src\/app/],
    ['src/kafka/x.ts', "import {KafkaCommand} from '../cli/base-command.js'", /adapter knows nothing of the CLI/],
    ['src/kafka/x.ts', "import {planTopics} from '../app/declarative-topics.js'", /adapter knows nothing of the CLI or the use cases/],
    ['src/registry/x.ts', "import {SchemaCache} from '../app/schemas.js'", /registry adapter knows nothing/],
    ['src/registry/x.ts', "import {Kafka} from 'kafkajs'", /registry adapter knows nothing/],
    ['src/commands/schemas/x.ts', "import {SchemaRegistryClient} from '../../registry/client.js'", /commands call use cases/],
    ['src/core/x.ts', "import {SchemaRegistryClient} from '../registry/client.js'", /core is pure/],
  ])('%s may not: %s', async (filePath, source, why) => {
    const messages = await restricted(filePath, source)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(why)
  })

  it.each([
    ['src/commands/topics/x.ts', "import {listTopics} from '../../app/topics.js'"],
    ['src/app/x.ts', "import {offsetsClient} from '../kafka/groups.js'"],
    ['src/kafka/x.ts', "import {Kafka} from 'kafkajs'"],
    // the adapter implements the port
    ['src/kafka/client.ts', "import type {KafkaClient} from '../app/kafka-client.js'"],
    ['src/core/x.ts', "import {parse} from 'yaml'"],
    ['src/app/x.ts', "import {SchemaRegistryClient} from '../registry/client.js'"],
    // the composition root opens the connection that commands hand to use cases
    ['src/cli/base-command.ts', "import {openConnection} from '../kafka/connection.js'"],
  ])('%s may: %s', async (filePath, source) => {
    expect(await restricted(filePath, source)).toEqual([])
  })
})
