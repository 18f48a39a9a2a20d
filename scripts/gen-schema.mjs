#!/usr/bin/env node
// Writes schema/topics.schema.json from the definition in src/core/topics-schema.ts, the same one
// the parser validates with, and the parser's validator compiled from it
// (src/core/topics-schema-validate.generated.ts). Run after changing the definition or the topic
// config table:
//   node scripts/gen-schema.mjs
// test/unit/core/topics-schema.test.ts fails while either committed file is out of date.
//
// src/core is pure TypeScript without build-time dependencies, so it is transpiled on the fly
// (no build needed) into a cache directory inside the repo, where its imports still resolve.
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import ts from 'typescript'

import {topicsValidatorSource} from './topics-validator-source.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'src', 'core')
const out = join(root, 'node_modules', '.cache', 'kafkit-gen-schema')
rmSync(out, {recursive: true, force: true})
mkdirSync(out, {recursive: true})
writeFileSync(join(out, 'package.json'), '{"type": "module"}\n')
for (const file of readdirSync(source).filter((name) => name.endsWith('.ts'))) {
  const {outputText} = ts.transpileModule(readFileSync(join(source, file), 'utf8'), {
    compilerOptions: {module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022},
    fileName: file,
  })
  writeFileSync(join(out, file.replace(/\.ts$/, '.js')), outputText)
}
const {topicsJsonSchemaText, topicsFileSchema} = await import(pathToFileURL(join(out, 'topics-schema.js')).href)
const target = join(root, 'schema', 'topics.schema.json')
mkdirSync(dirname(target), {recursive: true})
writeFileSync(target, topicsJsonSchemaText())
console.log(`wrote ${target}`)
const validator = join(root, 'src', 'core', 'topics-schema-validate.generated.ts')
writeFileSync(validator, topicsValidatorSource(topicsFileSchema))
console.log(`wrote ${validator}`)
