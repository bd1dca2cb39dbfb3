// JSON.parse rounds integers beyond 2^53, and CLOCK_MONOTONIC origins, guest nanosecond clocks
// and QEMU's u64 counters all live out there. This parser returns such integers as bigint
// (smaller ones stay numbers) so a value read back can be written back unchanged. Keys are
// defined as own data properties, so `__proto__` is data, never a prototype change.

export type ExactJson = string | number | bigint | boolean | null | ExactJson[] | { [key: string]: ExactJson };

export class ExactJsonError extends SyntaxError {}

// Every integer of 15 digits or fewer is exact in a double, so a text without a run of 16 digits
// (most QMP replies: a sampler reads several a second) goes to V8's native JSON.parse, which
// gives the same values several times faster and with less garbage; JSON.parse also keeps
// `__proto__` as an own data property. Only a text that may hold a big integer takes the walk.
const MAYBE_BIG_INTEGER = /\d{16}/;

/** Parses one JSON text; throws ExactJsonError saying where the first problem is. */
export function parseExactJson(text: string): ExactJson {
  if (!MAYBE_BIG_INTEGER.test(text)) {
    try {
      return JSON.parse(text) as ExactJson;
    } catch (err) {
      throw new ExactJsonError((err as Error).message);
    }
  }
  const parser = new Parser(text);
  const value = parser.value();
  parser.end();
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  value(): ExactJson {
    this.skipWhitespace();
    const char = this.text[this.at];
    switch (char) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  end(): void {
    this.skipWhitespace();
    if (this.at !== this.text.length) this.fail('unexpected text after the value');
  }

  private object(): { [key: string]: ExactJson } {
    const result: { [key: string]: ExactJson } = {};
    this.at += 1;
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at += 1;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.at] !== '"') this.fail('expected a key');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.at] !== ':') this.fail('expected ":"');
      this.at += 1;
      Object.defineProperty(result, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      if (this.closes('}')) return result;
    }
  }

  private array(): ExactJson[] {
    const result: ExactJson[] = [];
    this.at += 1;
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at += 1;
      return result;
    }
    for (;;) {
      result.push(this.value());
      if (this.closes(']')) return result;
    }
  }

  // After a member: "," continues, `close` ends, anything else is an error.
  private closes(close: '}' | ']'): boolean {
    this.skipWhitespace();
    const char = this.text[this.at];
    this.at += 1;
    if (char === close) return true;
    if (char !== ',') this.fail(`expected "," or "${close}"`, this.at - 1);
    return false;
  }

  private string(): string {
    STRING.lastIndex = this.at;
    const match = STRING.exec(this.text);
    if (match === null) this.fail('bad string');
    this.at = STRING.lastIndex;
    return JSON.parse(match[0]) as string;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail('unexpected character');
    this.at = NUMBER.lastIndex;
    const isInteger = match[1] === undefined && match[2] === undefined;
    const asNumber = Number(match[0]);
    return isInteger && !Number.isSafeInteger(asNumber) ? BigInt(match[0]) : asNumber;
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) this.fail('unexpected character');
    this.at += word.length;
    return value;
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.at;
    WHITESPACE.exec(this.text);
    this.at = WHITESPACE.lastIndex;
  }

  private fail(what: string, at = this.at): never {
    throw new ExactJsonError(`${what} at offset ${at}`);
  }
}
