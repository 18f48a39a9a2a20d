/**
 * The re-plan after an apply. Brokers learn of a new topic, config or ACL a moment after the
 * controller acknowledged it (longer on Kafka 3.9, and a broker applies thousands of changes in
 * steps): plan again while applied changes still show, as long as fewer show each time;
 * `patienceMs` bounds a stretch without progress.
 */
export async function replanUntilShown<R>(replan: () => Promise<R>, stillShowing: (result: R) => number, patienceMs: number): Promise<R> {
  let after: R | undefined = await replan()
  let showing = stillShowing(after)
  let progressAt = Date.now()
  while (showing > 0 && Date.now() < progressAt + patienceMs) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    // Not two cluster states in memory at once (each is ~60 MB at 10,000 topics).
    after = undefined
    after = await replan()
    const now = stillShowing(after)
    if (now < showing) progressAt = Date.now()
    showing = now
  }
  return after
}
