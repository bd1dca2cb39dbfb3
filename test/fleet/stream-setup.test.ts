import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coversPrefix } from '../../src/fleet/stream-setup';

test('an existing stream is used only when its subjects take every subject under the prefix', () => {
  const cases: Array<[string, string, boolean]> = [
    ['vmtel.>', 'vmtel', true],
    ['>', 'vmtel', true],
    ['vmtel.>', 'vmtel.host-a', true],
    ['vmtel.*.>', 'vmtel.host-a', true],
    ['*.>', 'vmtel', true],
    ['vmtel.host-a.>', 'vmtel', false],
    ['other.>', 'vmtel', false],
    ['vmtel.*', 'vmtel', false],
    ['vmtel', 'vmtel', false],
  ];
  for (const [subject, prefix, covers] of cases) assert.equal(coversPrefix(subject, prefix), covers, `${subject} covers ${prefix}.>`);
});
