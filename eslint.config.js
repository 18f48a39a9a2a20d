import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const IO_MODULES = ['node:fs', 'node:fs/promises', 'node:net', 'node:tls', 'node:http', 'node:https', 'node:child_process', 'node:os', 'node:stream', 'fs', 'net', 'child_process']
const CLIENT_MODULES = ['kafkajs', 'kafkajs-lz4', 'kafkajs-snappy', '@bokuweb/zstd-wasm']
const CLI_MODULES = ['@oclif/core', '@inquirer/prompts', 'cli-table3']

/** Import patterns for the named layers, however many `../` lead there. */
function layerPaths(...layers) {
  return layers.map((name) => `**/${name}/**`)
}

/** A `no-restricted-imports` rule for one folder (the composition root, base-command, may be exempt). */
function layer(files, why, forbidden, exempt = []) {
  const names = forbidden.filter((f) => !f.includes('*'))
  const patterns = forbidden.filter((f) => f.includes('*'))
  return [
    {
      files: [files],
      ignores: exempt,
      rules: {
        'no-restricted-imports': ['error', {paths: names.map((name) => ({name, message: why})), patterns: [{group: patterns, message: why}]}],
      },
    },
  ]
}

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'oclif.manifest.json']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly'}},
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  // The layers (README, "Where code goes"): commands -> app + cli; app -> core + the kafka adapter;
  // core is pure; only src/kafka talks to kafkajs. Each folder lists what it may not import.
  ...layer('src/core/**', 'core is pure logic: no I/O, no Kafka client, no CLI', [
    ...IO_MODULES,
    ...CLIENT_MODULES,
    ...CLI_MODULES,
    ...layerPaths('app', 'cli', 'commands', 'kafka', 'local', 'registry'),
  ]),
  ...layer('src/app/**', 'use cases do not render or parse flags', [...CLI_MODULES, 'kafkajs', ...layerPaths('cli', 'commands')]),
  ...layer('src/commands/**', 'commands call use cases in src/app and render with src/cli', ['kafkajs', ...layerPaths('kafka', 'registry')]),
  ...layer('src/cli/**', 'src/cli renders and parses; Kafka is reached through src/app', ['kafkajs', ...layerPaths('commands', 'kafka', 'registry')], ['src/cli/base-command.ts']),
  // The Schema Registry's HTTP adapter, reached by src/app only (as src/kafka is for Kafka).
  ...layer('src/registry/**', 'the registry adapter knows nothing of Kafka, the CLI or the use cases', [...CLI_MODULES, ...CLIENT_MODULES, ...layerPaths('app', 'cli', 'commands', 'kafka', 'local')]),
  // import() too: a lazily loaded module crosses the same line.
  {
    files: ['src/commands/**', 'src/app/**', 'src/core/**'],
    rules: {
      'no-restricted-syntax': ['error', {selector: 'ImportExpression[source.value=/(^|\\/)(kafka|commands)\\//]', message: 'only src/cli/base-command.ts loads the Kafka adapter'}],
    },
  },
  // (it implements the one port of src/app, the KafkaClient interface)
  ...layer('src/kafka/**', 'the Kafka adapter knows nothing of the CLI or the use cases', [...CLI_MODULES, ...layerPaths('app', 'cli', 'commands'), '!**/app/kafka-client.js']),
)

