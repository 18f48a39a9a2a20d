/**
 * Memory of the streaming commands (produce, consume, dlq replay/inspect). Their live heap is
 * small and flat (one fetch, one batch, one transaction's records: ~25 MiB beside the code), but
 * V8 lets the old generation grow to up to four times the live size between full collections
 * when the process allocates fast, as these do (every record is a few short-lived objects): a
 * replay of 100k records peaked at ~200 MiB RSS for ~25 MiB live. A growing factor of 2 (V8's
 * own for small heaps) keeps the peak near 150 MiB and flat in the number of records, for a few
 * percent more GC time (measured with --trace-gc and /usr/bin/time on the 100k replay bench).
 *
 * Set once, when the first stream starts; commands that read little never change it.
 */
import {setFlagsFromString} from 'node:v8'

let bounded = false

export function boundHeapGrowth(): void {
  if (bounded) return
  bounded = true
  setFlagsFromString('--heap-growing-percent=100')
}
