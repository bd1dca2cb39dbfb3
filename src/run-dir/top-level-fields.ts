// Pulls a few top-level numbers out of one JSON line without parsing the rest: a report over an
// hour of guest rows at 2,000 rows/s reads 7.2 million lines, and a JSON.parse of each would
// build (and collect) an object per row for the handful of values it needs. The scan walks only
// the top level: a key nested in a guest's object, or quoted inside a string, is skipped, never
// mistaken for the row's own. Integers are kept exact in two parts (see ExactInteger below),
// so 19-digit nanosecond stamps survive; a repeated key keeps its last value, as JSON.parse does.
import { JsonByte } from '../json/json-byte';

// An integer is held as high·1e9 + low, both doubles with the same sign: exact for every integer
// below 9·10^24, which holds every u64 and every nanosecond stamp.
const LOW_BASE = 1e9;
const LOW_DIGITS = 9;
const SAFE_DIGITS = 15;

/** What a field held on the last line read. */
export const enum FieldState {
  Absent = 0,
  Integer = 1,
  /** A number with a fraction or exponent: `number` holds it, `high`/`low` do not. */
  Fraction = 2,
  /** Present but not a number (null, a string, an object). */
  NotNumber = 3,
}

/** Reads the named top-level keys of JSON object lines; one instance per file being scanned. */
export class TopLevelFields {
  readonly state: Uint8Array;
  /** The value as a double (rounded beyond 2^53; use high/low or bigint() for exact work). */
  readonly number: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  private readonly keys: Buffer[];

  constructor(readonly names: readonly string[]) {
    this.keys = names.map((name) => Buffer.from(name, 'utf8'));
    this.state = new Uint8Array(names.length);
    this.number = new Float64Array(names.length);
    this.high = new Float64Array(names.length);
    this.low = new Float64Array(names.length);
  }

  /** Reads the line bytes[start, end); false when it is not a JSON object (then states are Absent). */
  read(bytes: Buffer, start: number, end: number): boolean {
    this.state.fill(FieldState.Absent);
    let at = skipSpace(bytes, start, end);
    if (bytes[at] !== JsonByte.OpenBrace) return false;
    at = skipSpace(bytes, at + 1, end);
    if (bytes[at] === JsonByte.CloseBrace) return true;
    for (;;) {
      if (bytes[at] !== JsonByte.Quote) return this.fail();
      const keyEnd = stringEnd(bytes, at, end);
      if (keyEnd < 0) return this.fail();
      const field = this.fieldOf(bytes, at + 1, keyEnd);
      at = skipSpace(bytes, keyEnd + 1, end);
      if (bytes[at] !== JsonByte.Colon) return this.fail();
      at = skipSpace(bytes, at + 1, end);
      const valueEnd = field >= 0 ? this.readValue(field, bytes, at, end) : skipValue(bytes, at, end);
      if (valueEnd < 0) return this.fail();
      at = skipSpace(bytes, valueEnd, end);
      if (bytes[at] === JsonByte.CloseBrace) return true;
      if (bytes[at] !== JsonByte.Comma) return this.fail();
      at = skipSpace(bytes, at + 1, end);
    }
  }

  /** True when field `i` held an integer. */
  isInteger(i: number): boolean {
    return this.state[i] === FieldState.Integer;
  }

  /** Field `i` (an integer) exactly. Allocates: for the few values a report keeps, not per row. */
  bigint(i: number): bigint {
    return BigInt(this.high[i]!) * BigInt(LOW_BASE) + BigInt(this.low[i]!);
  }

  /** Exact integer difference field `i` − field `j`, as a double (exact while it is below 2^53). */
  difference(i: number, j: number): number {
    return (this.high[i]! - this.high[j]!) * LOW_BASE + (this.low[i]! - this.low[j]!);
  }

  private fail(): false {
    this.state.fill(FieldState.Absent);
    return false;
  }

  // Index of the wanted key held by bytes [from, to), or -1.
  private fieldOf(bytes: Buffer, from: number, to: number): number {
    const length = to - from;
    if (hasByte(bytes, JsonByte.Backslash, from, to)) {
      // An escaped key ("\u0073eq" is "seq" to JSON.parse): rare, decoded the slow way.
      const name = JSON.parse(bytes.toString('utf8', from - 1, to + 1)) as string;
      return this.names.indexOf(name);
    }
    // By hand: Buffer.compare's argument checks cost more than comparing a dozen bytes.
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k]!;
      if (key.length !== length) continue;
      let same = true;
      for (let j = 0; j < length; j++) {
        if (key[j] !== bytes[from + j]) {
          same = false;
          break;
        }
      }
      if (same) return k;
    }
    return -1;
  }

  private readValue(field: number, bytes: Buffer, at: number, end: number): number {
    const first = bytes[at]!;
    if (first !== JsonByte.Minus && (first < JsonByte.Zero || first > JsonByte.Nine)) {
      this.state[field] = FieldState.NotNumber;
      return skipValue(bytes, at, end);
    }
    const negative = first === JsonByte.Minus;
    const digitsStart = negative ? at + 1 : at;
    let i = digitsStart;
    while (i < end && bytes[i]! >= JsonByte.Zero && bytes[i]! <= JsonByte.Nine) i++;
    // Up to 15 digits a double holds the integer exactly, and is split by one division; a
    // longer one is read as its last 9 digits and the ones before (exact up to 24 digits).
    let high: number;
    let low: number;
    if (i - digitsStart <= SAFE_DIGITS) {
      const value = digitsValue(bytes, digitsStart, i);
      high = Math.floor(value / LOW_BASE);
      low = value - high * LOW_BASE;
    } else {
      high = digitsValue(bytes, digitsStart, i - LOW_DIGITS);
      low = digitsValue(bytes, i - LOW_DIGITS, i);
    }
    const numberEnd = skipNumber(bytes, i, end);
    if (numberEnd !== i) {
      this.state[field] = FieldState.Fraction;
      this.number[field] = Number(bytes.toString('latin1', at, numberEnd));
      return numberEnd;
    }
    this.state[field] = FieldState.Integer;
    this.high[field] = negative ? -high : high;
    this.low[field] = negative ? -low : low;
    this.number[field] = (negative ? -1 : 1) * (high * LOW_BASE + low);
    return i;
  }
}

// The value of the decimal digits bytes[from, to) (at most 15 of them: exact in a double).
function digitsValue(bytes: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (bytes[i]! - JsonByte.Zero);
  return value;
}

function hasByte(bytes: Buffer, byte: number, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] === byte) return true;
  return false;
}

function skipSpace(bytes: Buffer, at: number, end: number): number {
  while (at < end && bytes[at]! <= 0x20) at++;
  return at;
}

// Index of the closing quote of the string opening at `at`, or -1.
function stringEnd(bytes: Buffer, at: number, end: number): number {
  for (let i = at + 1; i < end; i++) {
    const byte = bytes[i];
    if (byte === JsonByte.Quote) return i;
    if (byte === JsonByte.Backslash) i++;
  }
  return -1;
}

// The end of a number's fraction and exponent, from `at`.
function skipNumber(bytes: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const byte = bytes[i]!;
    if ((byte >= JsonByte.Zero && byte <= JsonByte.Nine) || byte === 0x2e || byte === 0x65 || byte === 0x45 || byte === 0x2b || byte === JsonByte.Minus) i++;
    else break;
  }
  return i;
}

// The end of any JSON value starting at `at`, or -1 when the line ends first.
function skipValue(bytes: Buffer, at: number, end: number): number {
  const first = bytes[at];
  if (first === JsonByte.Quote) {
    const close = stringEnd(bytes, at, end);
    return close < 0 ? -1 : close + 1;
  }
  if (first === JsonByte.OpenBrace || first === JsonByte.OpenBracket) {
    let depth = 0;
    for (let i = at; i < end; i++) {
      const byte = bytes[i];
      if (byte === JsonByte.Quote) {
        i = stringEnd(bytes, i, end);
        if (i < 0) return -1;
      } else if (byte === JsonByte.OpenBrace || byte === JsonByte.OpenBracket) depth++;
      else if ((byte === JsonByte.CloseBrace || byte === JsonByte.CloseBracket) && --depth === 0) return i + 1;
    }
    return -1;
  }
  // A number or a literal (true, false, null): up to the next delimiter.
  let i = at;
  while (i < end && bytes[i] !== JsonByte.Comma && bytes[i] !== JsonByte.CloseBrace && bytes[i]! > 0x20) i++;
  return i === at ? -1 : i;
}
