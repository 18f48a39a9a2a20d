import {KafkitError} from '../errors.js'

/** `--config k=v` flags → a config map. Values are normalised when the topic-config table is wired in. */
export function normaliseConfigFlags(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of pairs) {
    const i = pair.indexOf('=')
    if (i <= 0) throw new KafkitError(`--config: "${pair}" is not key=value`)
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim()
  }
  return out
}
