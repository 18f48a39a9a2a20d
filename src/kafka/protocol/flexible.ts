/**
 * The primitive types of Kafka's flexible protocol versions (KIP-482), for requests kafkajs 2.2.4
 * does not implement: unsigned varints, compact strings, bytes and arrays (length + 1, 0 for null)
 * and tagged-field buffers; plus the classic (non-flexible) strings and arrays (INT16 / INT32
 * length, -1 for null) that OffsetDelete, which has no flexible version, still uses. Pure and
 * byte-exact: the unit tests compare with bytes written from the protocol spec
 * (https://kafka.apache.org/protocol#protocol_types).
 */

export class FlexibleWriter {
  private readonly chunks: Buffer[] = []

  int8(value: number): this {
    const b = Buffer.alloc(1)
    b.writeInt8(value)
    return this.raw(b)
  }

  int16(value: number): this {
    const b = Buffer.alloc(2)
    b.writeInt16BE(value)
    return this.raw(b)
  }

  int32(value: number): this {
    const b = Buffer.alloc(4)
    b.writeInt32BE(value)
    return this.raw(b)
  }

  int64(value: bigint | number): this {
    const b = Buffer.alloc(8)
    b.writeBigInt64BE(BigInt(value))
    return this.raw(b)
  }

  float64(value: number): this {
    const b = Buffer.alloc(8)
    b.writeDoubleBE(value)
    return this.raw(b)
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0)
  }

  uvarint(value: number): this {
    const bytes: number[] = []
    let v = value >>> 0
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80)
      v >>>= 7
    }
    bytes.push(v)
    return this.raw(Buffer.from(bytes))
  }

  compactString(value: string): this {
    const b = Buffer.from(value, 'utf8')
    return this.uvarint(b.length + 1).raw(b)
  }

  compactNullableString(value: string | null): this {
    return value === null ? this.uvarint(0) : this.compactString(value)
  }

  compactBytes(value: Buffer): this {
    return this.uvarint(value.length + 1).raw(value)
  }

  /** A classic STRING (INT16 length), for non-flexible versions. */
  string(value: string): this {
    const b = Buffer.from(value, 'utf8')
    if (b.length > 0x7fff) throw new Error('string longer than 32767 bytes')
    return this.int16(b.length).raw(b)
  }

  /** A classic ARRAY (INT32 length, -1 for null), for non-flexible versions. */
  array<T>(items: readonly T[] | null, write: (item: T, w: this) => void): this {
    if (items === null) return this.int32(-1)
    this.int32(items.length)
    for (const item of items) write(item, this)
    return this
  }

  /** A COMPACT_(NULLABLE_)ARRAY: null is written as length 0. */
  compactArray<T>(items: readonly T[] | null, write: (item: T, w: this) => void): this {
    if (items === null) return this.uvarint(0)
    this.uvarint(items.length + 1)
    for (const item of items) write(item, this)
    return this
  }

  /** An empty TAG_BUFFER: kafkit never sends tagged fields. */
  noTaggedFields(): this {
    return this.uvarint(0)
  }

  raw(bytes: Buffer): this {
    this.chunks.push(bytes)
    return this
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks)
  }
}

export class FlexibleReader {
  private offset = 0

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    return (this.byte() << 24) >> 24
  }

  boolean(): boolean {
    return this.byte() !== 0
  }

  int16(): number {
    this.need(2)
    const v = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return v
  }

  int32(): number {
    this.need(4)
    const v = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return v
  }

  /** As a number: offsets stay far below 2^53. */
  int64(): number {
    this.need(8)
    const v = this.buffer.readBigInt64BE(this.offset)
    this.offset += 8
    return Number(v)
  }

  float64(): number {
    this.need(8)
    const v = this.buffer.readDoubleBE(this.offset)
    this.offset += 8
    return v
  }

  uvarint(): number {
    let result = 0
    for (let shift = 0; ; shift += 7) {
      if (shift > 28) throw new Error('invalid unsigned varint: longer than 5 bytes')
      const byte = this.byte()
      result += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) return result
    }
  }

  compactString(): string {
    const s = this.compactNullableString()
    if (s === null) throw new Error('null where a string is required')
    return s
  }

  compactNullableString(): string | null {
    const length = this.uvarint()
    if (length === 0) return null
    return this.take(length - 1).toString('utf8')
  }

  compactBytes(): Buffer {
    const length = this.uvarint()
    if (length === 0) throw new Error('null where bytes are required')
    return Buffer.from(this.take(length - 1))
  }

  /** A classic STRING (INT16 length). */
  string(): string {
    const s = this.nullableString()
    if (s === null) throw new Error('null where a string is required')
    return s
  }

  /** A classic NULLABLE_STRING (INT16 length, -1 for null). */
  nullableString(): string | null {
    const length = this.int16()
    if (length < 0) return null
    return this.take(length).toString('utf8')
  }

  /** A classic ARRAY (INT32 length; a null array reads as empty). */
  array<T>(read: (r: this) => T): T[] {
    const length = this.int32()
    const items: T[] = []
    for (let i = 0; i < length; i++) items.push(read(this))
    return items
  }

  /** A COMPACT_(NULLABLE_)ARRAY; null reads as empty (compactNullableArray tells them apart). */
  compactArray<T>(read: (r: this) => T): T[] {
    const length = this.uvarint()
    const items: T[] = []
    for (let i = 1; i < length; i++) items.push(read(this))
    return items
  }

  /** A COMPACT_NULLABLE_ARRAY: null when the length is 0. */
  compactNullableArray<T>(read: (r: this) => T): T[] | null {
    const length = this.uvarint()
    if (length === 0) return null
    const items: T[] = []
    for (let i = 1; i < length; i++) items.push(read(this))
    return items
  }

  /** Skips a TAG_BUFFER: kafkit reads no tagged field yet. */
  skipTaggedFields(): void {
    const count = this.uvarint()
    for (let i = 0; i < count; i++) {
      this.uvarint()
      this.take(this.uvarint())
    }
  }

  get remaining(): number {
    return this.buffer.length - this.offset
  }

  private byte(): number {
    if (this.offset >= this.buffer.length) throw new Error('response ends early')
    return this.buffer[this.offset++]
  }

  private need(n: number): void {
    if (this.offset + n > this.buffer.length) throw new Error('response ends early')
  }

  private take(n: number): Buffer {
    this.need(n)
    const b = this.buffer.subarray(this.offset, this.offset + n)
    this.offset += n
    return b
  }
}
