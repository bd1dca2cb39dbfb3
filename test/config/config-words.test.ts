// The small pieces of the config's messages and output, each pinned exactly: the close match a
// misspelling is offered, how a value is described, and `vmtel validate`'s YAML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeValue } from '../../src/config/describe-value';
import { didYouMean } from '../../src/config/did-you-mean';
import { renderResolvedYaml } from '../../src/config/resolved-yaml';

test('a close match is offered up to about one edit in three characters, never a rewrite of the whole word', () => {
  // Ties go to the first candidate.
  assert.equal(didYouMean('ab', ['ax', 'ay']), '; did you mean "ax"?');
  // Three edits in an 8-character key (one in three) still read as the same word...
  assert.equal(didYouMean('fluhs', ['flush_ms', 'vm']), '; did you mean "flush_ms"?');
  assert.equal(didYouMean('inital_dely_m', ['max_delay_ms', 'initial_delay_ms']), '; did you mean "initial_delay_ms"?');
  // ...seven in a 16-character key do not, though they leave some of the word.
  assert.equal(didYouMean('inixxxxlay_ms', ['initial_delay_ms']), '');
  // Two edits are allowed in any word, but not when they rewrite all of it.
  assert.equal(didYouMean('xy', ['vm']), '');
  assert.equal(didYouMean('a', ['ab']), '; did you mean "ab"?');
  assert.equal(didYouMean('anything', []), '');
});

test('values are described as a user wrote them; a long string is cut at 60 characters', () => {
  assert.equal(describeValue('x'.repeat(60)), `"${'x'.repeat(60)}" (a string)`);
  assert.equal(describeValue('x'.repeat(61)), `"${'x'.repeat(60)}…" (a string)`);
  assert.equal(describeValue(false), 'false (a boolean)');
  assert.equal(describeValue(-5), '-5');
  assert.equal(describeValue(null), 'nothing');
  assert.equal(describeValue([]), 'an empty list');
  assert.equal(describeValue({}), 'a mapping');
  assert.equal(describeValue(new Date(0)), '1970-01-01T00:00:00.000Z (a date)');
  assert.equal(describeValue(5n), 'a bigint');
});

test("vmtel validate's YAML: no anchors for shared lists, long values on one line, $ written $$", () => {
  const shared = ['query-status', 'query-kvm'];
  const longPath = `/${'deep/'.repeat(30)}run`;
  assert.equal(
    renderResolvedYaml({ a: { queries: shared }, b: { queries: shared }, run_dir: longPath, note: 'cost $5' }),
    `a:\n  queries:\n    - query-status\n    - query-kvm\nb:\n  queries:\n    - query-status\n    - query-kvm\nrun_dir: ${longPath}\nnote: cost $$5\n`,
  );
});
