// Reads a JSONL file the way an analysis script would, failing loudly on any line that does not
// parse: a torn or glued line is a test failure, never skipped.
import { existsSync, readFileSync } from 'node:fs';

/** Every line of `path` parsed; [] when the file does not exist. Throws naming the bad line. */
export function readJsonl(path: string): Array<Record<string, unknown>> {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) throw new Error(`${path}: last line is not terminated`);
  return text
    .split('\n')
    .slice(0, -1)
    .map((line, index) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${path}:${index + 1}: not JSON: ${line.slice(0, 200)}`);
      }
    });
}

/** The raw text lines of `path` (without the trailing empty one). */
export function readLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}
