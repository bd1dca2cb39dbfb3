import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { countLines } from '../../src/sink/count-lines';
import { tempDir } from '../helpers/temp-dir';

test('lines and bytes of a file, across read blocks; zeros for a missing file', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'rows.jsonl');
  const line = `{"pad":"${'x'.repeat(1000)}"}\n`;
  writeFileSync(path, line.repeat(3000));
  assert.deepEqual(countLines(path), { lines: 3000, bytes: line.length * 3000 });
  assert.deepEqual(countLines(join(dir, 'missing.jsonl')), { lines: 0, bytes: 0 });
});
