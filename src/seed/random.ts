import { createHash } from 'node:crypto';

/**
 * A seeded pseudo-random source (sfc32: 128 bits of state, from the SHA-256 of the seed value),
 * so that `--seed-value x` produces the same data set, ids included, on every run and dialect.
 * Not for secrets: passwords come from `crypto`.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seedValue: string) {
    const digest = createHash('sha256').update(seedValue).digest();
    [this.a, this.b, this.c, this.d] = [0, 4, 8, 12].map((offset) => digest.readUInt32LE(offset));
    for (let i = 0; i < 12; i++) this.next(); // mixes the state before the first value is used
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /**
   * An index in [0, length) where low indexes come up more often (`skew` > 1), as a few authors
   * write most posts and a few tags are on most of them.
   */
  skewedIndex(length: number, skew = 2): number {
    return Math.floor(this.next() ** skew * length);
  }

  /** `count` distinct indexes in [0, length), skewed towards the low ones. */
  distinctIndexes(count: number, length: number, skew = 1.5): number[] {
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(this.skewedIndex(length, skew));
    return [...chosen];
  }

  /** A version-4 UUID made of this source's bits. */
  uuid(): string {
    const bytes = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 4) bytes.writeUInt32LE(Math.floor(this.next() * 4_294_967_296), i);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
