import {createRequire} from 'node:module'

const requireModule = createRequire(import.meta.url)

/**
 * The yaml library, loaded on first use: importing it cost every command ~30-40 ms of start-up,
 * and most runs never need it (topics.yaml files mostly go through the fast reader in
 * yaml-subset.ts; tables need no YAML).
 */
export const yamlLibrary = (): typeof import('yaml') => requireModule('yaml') as typeof import('yaml')
