/**
 * The identities seen in a run, each with a number (where it was first seen): what a
 * Map<string, number> would do, in typed arrays. A run of 300,000 users keeps no table entry the
 * garbage collector has to visit, and a key is held only as the string it came as (a user keeps
 * the same string), never as a lower-case copy.
 */

/** How keys are compared: exactly, or ignoring case as String.prototype.toLowerCase sees it. */
export type KeyComparison = 'exact' | 'ignore case';

/** A character toLowerCase may change, other than A-Z: anything outside ASCII. */
const BEYOND_ASCII = /[^\0-\x7f]/;

const EMPTY = 0;
const FIRST_CAPACITY = 1 << 10;

export class IdentityIndex {
  readonly #ignoreCase: boolean;
  /** Open addressing: each slot holds an entry's number + 1, or EMPTY. */
  #slots = new Int32Array(FIRST_CAPACITY);
  /** Per slot, the hash of its entry's key, so that most misses and every resize compare no string. */
  #slotHashes = new Int32Array(FIRST_CAPACITY);
  #keys: string[] = [];
  #values: number[] = [];

  constructor(comparison: KeyComparison) {
    this.#ignoreCase = comparison === 'ignore case';
  }

  get size(): number {
    return this.#keys.length;
  }

  /** The value of the key already held, or undefined after holding `value` for it. */
  firstOrAdd(key: string, value: number): number | undefined {
    const hash = this.#hash(key);
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.#slots[slot]!;
      if (held === EMPTY) {
        this.#keys.push(key);
        this.#values.push(value);
        this.#slots[slot] = this.#keys.length;
        this.#slotHashes[slot] = hash;
        // At most half full: probes stay short.
        if (this.#keys.length * 2 > this.#slots.length) this.#grow();
        return undefined;
      }
      if (this.#slotHashes[slot] === hash && this.#same(this.#keys[held - 1]!, key)) {
        return this.#values[held - 1];
      }
    }
  }

  #same(held: string, key: string): boolean {
    return held === key || (this.#ignoreCase && held.toLowerCase() === key.toLowerCase());
  }

  /**
   * FNV-1a over the key's UTF-16 code units; ignoring case, over those of its lower case: A-Z
   * folded as they go, and a key beyond ASCII lowered first (toLowerCase may change its length).
   */
  #hash(key: string): number {
    let text = key;
    if (this.#ignoreCase && BEYOND_ASCII.test(key)) text = key.toLowerCase();
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (this.#ignoreCase && code >= 0x41 && code <= 0x5a) code += 0x20;
      hash = Math.imul(hash ^ code, 0x01000193);
    }
    // As an Int32Array holds it (the offset basis alone, for "", is beyond int32).
    return hash | 0;
  }

  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const slotHashes = new Int32Array(slots.length);
    const mask = slots.length - 1;
    for (let old = 0; old < this.#slots.length; old++) {
      const held = this.#slots[old]!;
      if (held === EMPTY) continue;
      const hash = this.#slotHashes[old]!;
      let slot = hash & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = held;
      slotHashes[slot] = hash;
    }
    this.#slots = slots;
    this.#slotHashes = slotHashes;
  }
}
