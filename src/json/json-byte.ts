// The bytes of JSON's structure, for the scans that read JSON text byte by byte without parsing
// it (the guest line's depth check, the run dir's top-level field reader, the export's structure
// scan). A const enum: every use compiles to the number itself, so the hot loops load no property.
export const enum JsonByte {
  Quote = 0x22,
  Backslash = 0x5c,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
  Colon = 0x3a,
  Comma = 0x2c,
  Minus = 0x2d,
  Zero = 0x30,
  Nine = 0x39,
}
