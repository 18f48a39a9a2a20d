/**
 * One renderer for every command: the same result object prints as a table for people and as
 * JSON/YAML for machines. Formatters return strings; the command prints them.
 */
import Table from 'cli-table3'

import {yamlLibrary} from '../core/lazy-yaml.js'

export type OutputFormat = 'table' | 'json' | 'yaml'

export const colorEnabled = (): boolean =>
  process.env.NO_COLOR === undefined && process.env.FORCE_COLOR !== '0' && Boolean(process.stdout.isTTY)

export type Cell = string | number | boolean | null | undefined

/** A borderless, aligned table like kubectl's; `-` for missing values. */
export function renderTable(head: string[], rows: Cell[][], opts: {title?: string} = {}): string {
  const table = new Table({
    head,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: {head: colorEnabled() ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true},
  })
  for (const row of rows) table.push(row.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))))
  const body = table.toString().split('\n').map((l) => l.trimEnd()).join('\n')
  return opts.title ? `${opts.title}\n${body}` : body
}

/** "key: value" lines, aligned, for single-object results. */
export function renderKeyValues(pairs: [string, Cell][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length))
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v === null || v === undefined || v === '' ? '-' : String(v)}`).join('\n')
}

export function renderStructured(result: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(result, null, 2) : yamlLibrary().stringify(result).trimEnd()
}

/** "1 broker", "3 brokers". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
