/**
 * `--rate N`: a token bucket holding at most `burst` tokens (default a tenth of a second's worth,
 * at least 1), refilled at N per second. Pure: the caller passes the clock and does the waiting.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    now: number,
    private readonly burst = Math.max(1, perSecond / 10),
  ) {
    if (!(perSecond > 0)) throw new RangeError('rate must be positive')
    this.tokens = this.burst
    this.last = now
  }

  /** Takes one token; returns how many ms to wait before using it (0: at once). */
  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000)
    this.last = now
    this.tokens -= 1
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.perSecond)
  }
}
