import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

/** The path of one of kafkajs's source files. */
export const kafkajsFile = (file: string) => require.resolve(`kafkajs/src/${file}`)

/**
 * kafkajs's own implementation of a module, evaluated from its file (not through the require
 * cache, so never a kafkit replacement; its own requires go through the cache).
 */
export function original<T>(file: string): T {
  const path = kafkajsFile(file)
  const module = {exports: undefined as unknown}
  new Function('module', 'exports', 'require', readFileSync(path, 'utf8'))(module, module.exports, createRequire(path))
  return module.exports as T
}
