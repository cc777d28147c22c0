/** A growable Float64Array: amortised O(1) push, no per-row objects. */
export class Float64Builder {
  private buf: Float64Array;
  length = 0;

  constructor(initialCapacity = 4096) {
    this.buf = new Float64Array(Math.max(16, initialCapacity));
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** Overwrites the last value pushed (used when a later row replaces a row with the same timestamp). */
  setLast(v: number): void {
    this.buf[this.length - 1] = v;
  }

  /** The values pushed so far, as an exact-length copy. */
  finish(): Float64Array {
    return this.buf.slice(0, this.length);
  }
}
