// vm, episode and file names become single tokens of a NATS subject, `<prefix>.<vm>.<episode>.<file>`.
// A subject token cannot hold '.', '*', '>' or whitespace, and file names hold dots
// (`events.jsonl`), so every name is encoded reversibly: letters, digits, '_' and '-' stay, any
// other byte of its UTF-8 becomes `~XX` (two upper-case hex digits). Never rejected, never lossy.
const PLAIN_BYTE = /^[A-Za-z0-9_-]$/;
const ENCODED_TOKEN = /^(?:[A-Za-z0-9_-]|~[0-9A-F]{2})+$/;

/** The subject token of `name`; an empty name is refused (a subject has no empty tokens). */
export function encodeToken(name: string): string {
  if (name === '') throw new Error('an empty name has no subject token');
  let token = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const char = String.fromCharCode(byte);
    token += byte < 0x80 && PLAIN_BYTE.test(char) ? char : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return token;
}

/** The name `token` encodes, or null when it is not a token encodeToken could have made. */
export function decodeToken(token: string): string | null {
  if (!ENCODED_TOKEN.test(token)) return null;
  const bytes = Buffer.from(token.replace(/~([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  const name = bytes.toString('utf8');
  // Only a canonical encoding decodes: one name, one subject, so de-duplication ids never split.
  return encodeToken(name) === token ? name : null;
}

export interface FileAddress {
  vm: string;
  episode: string;
  file: string;
}

/** `<prefix>.<vm>.<episode>.<file>`, each name encoded. */
export function subjectOf(prefix: string, address: FileAddress): string {
  return `${prefix}.${encodeToken(address.vm)}.${encodeToken(address.episode)}.${encodeToken(address.file)}`;
}

/** The names a subject under `prefix` carries, or null when it is not one vmtel publishes. */
export function addressOf(prefix: string, subject: string): FileAddress | null {
  if (!subject.startsWith(`${prefix}.`)) return null;
  const tokens = subject.slice(prefix.length + 1).split('.');
  if (tokens.length < 3) return null;
  // Any tokens between the prefix and the last three are a deeper prefix (a host's own, say:
  // see docs/fleet.md on per-host permissions); the names are always the last three.
  const [vm, episode, file] = tokens.slice(-3).map(decodeToken);
  if (vm == null || episode == null || file == null) return null;
  return { vm, episode, file };
}
