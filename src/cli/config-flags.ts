import {normaliseConfigValue} from '../core/topic-configs.js'
import {KafkitError} from '../errors.js'

/**
 * `--config k=v` flags → the config map sent to Kafka, checked against Kafka's topic-level config
 * names and normalised like topics.yaml (7d → 604800000, 1GiB → 1073741824), so a typo is one
 * line before any request instead of the broker's generic "Configuration is invalid".
 */
export function normaliseConfigFlags(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of pairs) {
    const i = pair.indexOf('=')
    if (i <= 0) throw new KafkitError(`--config: "${pair}" is not key=value`)
    const name = pair.slice(0, i).trim()
    const normalised = normaliseConfigValue(name, pair.slice(i + 1).trim())
    if (!normalised.ok) throw new KafkitError(`--config ${name}: ${normalised.reason}`)
    out[name] = normalised.value
  }
  return out
}
