// The structure of a rows file: every key at every depth and the type that holds every value
// seen under it, merged over all lines, as the export declares it to DuckDB (field-layout.ts).
// Read byte by byte, like the run-dir reader's top-level scan, without building a value per
// row: an hour of a guest at 2,000 rows/s is 7.2 million lines. Integers are typed by their
// digits, so a 19-digit stamp or a u64 near 2^64 gets an exact type: BIGINT; UBIGINT when a value
// passes 2^63 and none is negative; DECIMAL(38,0) when both (Parquet has no 128-bit integer);
// DOUBLE for a fraction, an exponent or a value past 2^64 (not an integer to JSON readers either).
import { JsonByte } from '../json/json-byte';
import type { Structure } from './field-layout';

const I64_MAX = Buffer.from('9223372036854775807');
const I64_MIN_DIGITS = Buffer.from('9223372036854775808');
const U64_MAX = Buffer.from('18446744073709551615');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL_WORD = Buffer.from('null');
// As deep as any row vmtel writes (guest_agent drops lines nested past its max_depth, at most
// 1000): a line nested deeper is not vmtel's, and is left out rather than overflow the stack.
const MAX_DEPTH = 1000;
// DECIMAL(38,0) holds 38 digits.
const DECIMAL_DIGITS = 38;

// What was seen under one key (or as one list's elements).
const NULL = 1;
const BOOL = 2;
const NUMBER = 4;
const STRING = 8;
const OBJECT = 16;
const LIST = 32;

class Node {
  kinds = 0;
  negative = false;
  /** A positive integer past 2^63 − 1. */
  overI64 = false;
  /** A negative integer below −2^63. */
  underI64 = false;
  /** A fraction, an exponent, a value past 2^64 or past 38 digits: only a DOUBLE holds them all. */
  double = false;
  readonly keys: Array<{ bytes: Buffer; node: Node }> = [];
  readonly byName = new Map<string, Node>();
  element: Node | null = null;
  /** The line whose changes to this node `undo` holds, so each node is saved once per line. */
  savedOnLine = -1;
}

// A node as it was before a line changed it: a line found bad halfway is undone, so it adds nothing.
interface Saved {
  node: Node;
  kinds: number;
  negative: boolean;
  overI64: boolean;
  underI64: boolean;
  double: boolean;
  element: Node | null;
  keys: number;
  added: string[];
}

class SyntaxFault extends Error {}

/** Merges lines into one structure; `structure()` gives it in field-layout's terms. */
export class StructureScan {
  private readonly root = new Node();
  private bytes: Buffer = Buffer.alloc(0);
  private at = 0;
  private end = 0;
  private line = 0;
  private readonly undo: Saved[] = [];

  /** Adds one line (bytes [start, end)); a line that is not a JSON object is left out, and false is returned. */
  addLine(bytes: Buffer, start: number, end: number): boolean {
    this.bytes = bytes;
    this.at = start;
    this.end = end;
    this.line += 1;
    this.undo.length = 0;
    try {
      this.skipSpace();
      if (this.at >= end || bytes[this.at] !== JsonByte.OpenBrace) return false;
      this.value(this.root, 0);
      this.skipSpace();
      if (this.at !== end) throw new SyntaxFault();
      return true;
    } catch (err) {
      if (!(err instanceof SyntaxFault)) throw err;
      for (const saved of this.undo) restore(saved);
      return false;
    }
  }

  // Saves `node` before this line first changes it.
  private save(node: Node): Node {
    if (node.savedOnLine !== this.line) {
      node.savedOnLine = this.line;
      const { kinds, negative, overI64, underI64, double, element } = node;
      this.undo.push({ node, kinds, negative, overI64, underI64, double, element, keys: node.keys.length, added: [] });
    }
    return node;
  }

  private addKind(node: Node, kind: number): void {
    if ((node.kinds & kind) === 0) this.save(node).kinds |= kind;
  }

  private setFlag(node: Node, flag: 'negative' | 'overI64' | 'underI64' | 'double'): void {
    if (!node[flag]) this.save(node)[flag] = true;
  }

  /** The merged structure: an object of keys, each a DuckDB type name, an object, or a one-element list. */
  structure(): Structure {
    return structureOf(this.root);
  }

  private value(node: Node, depth: number): void {
    const byte = this.bytes[this.at];
    if ((byte === JsonByte.OpenBrace || byte === JsonByte.OpenBracket) && depth >= MAX_DEPTH) throw new SyntaxFault();
    if (byte === JsonByte.OpenBrace) return this.object(node, depth + 1);
    if (byte === JsonByte.OpenBracket) return this.list(node, depth + 1);
    if (byte === JsonByte.Quote) {
      this.addKind(node, STRING);
      this.skipString();
      return;
    }
    if (byte === JsonByte.Minus || (byte !== undefined && byte >= JsonByte.Zero && byte <= JsonByte.Nine)) return this.number(node);
    const word = byte === 0x74 ? TRUE : byte === 0x66 ? FALSE : byte === 0x6e ? NULL_WORD : null;
    if (word === null || !sameBytes(this.bytes, this.at, word)) throw new SyntaxFault();
    this.addKind(node, word === NULL_WORD ? NULL : BOOL);
    this.at += word.length;
  }

  private object(node: Node, depth: number): void {
    this.addKind(node, OBJECT);
    this.at += 1;
    this.skipSpace();
    if (this.bytes[this.at] === JsonByte.CloseBrace) {
      this.at += 1;
      return;
    }
    for (let index = 0; ; index++) {
      this.skipSpace();
      if (this.bytes[this.at] !== JsonByte.Quote) throw new SyntaxFault();
      const keyStart = this.at;
      this.skipString();
      const child = this.childOf(node, index, keyStart, this.at);
      this.skipSpace();
      if (this.bytes[this.at] !== JsonByte.Colon) throw new SyntaxFault();
      this.at += 1;
      this.skipSpace();
      this.value(child, depth);
      this.skipSpace();
      const next = this.bytes[this.at];
      this.at += 1;
      if (next === JsonByte.CloseBrace) return;
      if (next !== JsonByte.Comma) throw new SyntaxFault();
    }
  }

  private list(node: Node, depth: number): void {
    this.addKind(node, LIST);
    this.at += 1;
    this.skipSpace();
    if (this.bytes[this.at] === JsonByte.CloseBracket) {
      this.at += 1;
      return;
    }
    if (node.element === null) this.save(node).element = new Node();
    for (;;) {
      this.skipSpace();
      this.value(node.element!, depth);
      this.skipSpace();
      const next = this.bytes[this.at];
      this.at += 1;
      if (next === JsonByte.CloseBracket) return;
      if (next !== JsonByte.Comma) throw new SyntaxFault();
    }
  }

  private number(node: Node): void {
    this.addKind(node, NUMBER);
    // Locals, not fields, in the loops: this runs for every number of every row.
    const { bytes, end } = this;
    let at = this.at;
    const negative = bytes[at] === JsonByte.Minus;
    if (negative) at += 1;
    const digitsStart = at;
    while (at < end && isDigit(bytes[at]!)) at += 1;
    const digitsEnd = at;
    if (digitsEnd === digitsStart) throw new SyntaxFault();
    while (at < end && isNumberTail(bytes[at]!)) at += 1;
    const fraction = at !== digitsEnd;
    this.at = at;
    const digits = digitsEnd - digitsStart;
    if (fraction || digits > DECIMAL_DIGITS) {
      this.setFlag(node, 'double');
      return;
    }
    if (negative) {
      this.setFlag(node, 'negative');
      if (beyond(this.bytes, digitsStart, digitsEnd, I64_MIN_DIGITS)) this.setFlag(node, 'underI64');
    } else if (beyond(this.bytes, digitsStart, digitsEnd, I64_MAX)) {
      this.setFlag(node, 'overI64');
      if (beyond(this.bytes, digitsStart, digitsEnd, U64_MAX)) this.setFlag(node, 'double');
    }
  }

  // The child of `node` for the key in bytes [start, end) (quotes included), the `index`-th of
  // its object. Rows repeat their keys in the same order, so the key at the same place is tried
  // first, byte for byte, before a key is decoded.
  private childOf(node: Node, index: number, start: number, end: number): Node {
    const bytes = this.bytes;
    const same = node.keys[index];
    if (same !== undefined && same.bytes.length === end - start && sameBytes(bytes, start, same.bytes)) return same.node;
    const name = keyName(bytes, start, end);
    let child = node.byName.get(name);
    if (child === undefined) {
      child = new Node();
      this.save(node);
      node.byName.set(name, child);
      this.undo.find((saved) => saved.node === node)!.added.push(name);
    }
    if (same === undefined) {
      this.save(node);
      node.keys[index] = { bytes: Buffer.from(bytes.subarray(start, end)), node: child };
    }
    return child;
  }

  private skipString(): void {
    const { bytes, end } = this;
    let at = this.at + 1;
    while (at < end) {
      const byte = bytes[at]!;
      if (byte === JsonByte.Quote) {
        this.at = at + 1;
        return;
      }
      at += byte === JsonByte.Backslash ? 2 : 1;
    }
    throw new SyntaxFault();
  }

  private skipSpace(): void {
    const { bytes, end } = this;
    let at = this.at;
    while (at < end) {
      const byte = bytes[at]!;
      if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) break;
      at += 1;
    }
    this.at = at;
  }
}

// A key's text; a key JSON does not accept (a bad escape) makes the line bad.
function keyName(bytes: Buffer, start: number, end: number): string {
  try {
    return JSON.parse(bytes.toString('utf8', start, end)) as string;
  } catch {
    throw new SyntaxFault();
  }
}

function restore(saved: Saved): void {
  const { node } = saved;
  Object.assign(node, { kinds: saved.kinds, negative: saved.negative, overI64: saved.overI64, underI64: saved.underI64, double: saved.double, element: saved.element });
  node.keys.length = saved.keys;
  for (const name of saved.added) node.byName.delete(name);
}

function structureOf(node: Node): Structure {
  const kinds = node.kinds & ~NULL;
  if (kinds === 0) return 'NULL';
  if (kinds === OBJECT) return Object.fromEntries([...node.byName].map(([name, child]) => [name, structureOf(child)]));
  if (kinds === LIST) return [node.element === null ? 'NULL' : structureOf(node.element)];
  if ((kinds & (OBJECT | LIST)) !== 0) return 'JSON';
  if (kinds === BOOL) return 'BOOLEAN';
  if (kinds !== NUMBER) return 'VARCHAR';
  if (node.double) return 'DOUBLE';
  if (node.negative && (node.overI64 || node.underI64)) return 'DECIMAL(38,0)';
  return node.overI64 ? 'UBIGINT' : 'BIGINT';
}

function isDigit(byte: number): boolean {
  return byte >= JsonByte.Zero && byte <= JsonByte.Nine;
}

// A fraction or an exponent: `.`, `e`, `E`, `+`, `-` and the digits after them.
function isNumberTail(byte: number): boolean {
  return byte === 0x2e || byte === 0x65 || byte === 0x45 || byte === 0x2b || byte === JsonByte.Minus || isDigit(byte);
}

// Whether the digits [start, end) (no leading zeros in JSON) stand for more than `limit`.
function beyond(bytes: Buffer, start: number, end: number, limit: Buffer): boolean {
  const digits = end - start;
  if (digits !== limit.length) return digits > limit.length;
  for (let i = 0; i < digits; i++) {
    const difference = bytes[start + i]! - limit[i]!;
    if (difference !== 0) return difference > 0;
  }
  return false;
}

// Whether `bytes` holds `word` at `at`. A loop, not Buffer.compare: keys and words are a few
// bytes, and a native call per key of every row costs more than the comparison.
function sameBytes(bytes: Buffer, at: number, word: Buffer): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
}
