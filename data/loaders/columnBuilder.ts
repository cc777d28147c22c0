/** A growable Float64Array: amortised O(1) push, no per-row objects. */
export class Float64Builder {
  private buf: Float64Array;
  length = 0;

  constructor(initialCapacity = 4096) {
    this.buf = new Float64Array(Math.max(16, initialCapacity));
  }

  push(v: number): void {
    if (this.length === this.buf.length) this.grow(this.buf.length * 2);
    this.buf[this.length++] = v;
  }

  /**
   * Makes room for `capacity` values in all (a loader that can estimate its row count calls this once, so the
   * column is allocated once instead of doubling: each doubling writes a new array, and on some machines every
   * newly touched page of memory costs several microseconds).
   */
  reserve(capacity: number): void {
    if (capacity > this.buf.length) this.grow(capacity);
  }

  private grow(capacity: number): void {
    const next = new Float64Array(capacity);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Overwrites the last value pushed (used when a later row replaces a row with the same timestamp). */
  setLast(v: number): void {
    this.buf[this.length - 1] = v;
  }

  /**
   * The values pushed so far, as an exact-length view of the builder's storage (no copy: the unused capacity
   * behind it is never written, so it is never paged in). The builder must not be pushed to afterwards.
   */
  finish(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}
