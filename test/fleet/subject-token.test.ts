import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archivePath } from '../../src/fleet/archive/archive-place';
import { addressOf, decodeToken, encodeToken, subjectOf } from '../../src/fleet/subject-token';

test('names that are not subject tokens are encoded reversibly into one token', () => {
  for (const name of ['lab.vm-1', 'vm*', 'a>b', 'ep 1', 'tilde~x', 'événement', 'plain_Name-9', 'events.jsonl']) {
    const token = encodeToken(name);
    assert.match(token, /^[A-Za-z0-9_~-]+$/, `${name} -> ${token}`);
    assert.equal(decodeToken(token), name);
  }
  assert.equal(encodeToken('lab.vm*'), 'lab~2Evm~2A');
});

test('only canonical tokens decode: one name, one subject', () => {
  assert.equal(decodeToken('a~2e'), null, 'lower-case hex');
  assert.equal(decodeToken('~41'), null, "an escaped letter ('A' is plain)");
  assert.equal(decodeToken('a.b'), null);
  assert.equal(decodeToken(''), null);
});

test('a subject carries vm, episode and file as its last three tokens, below any prefix', () => {
  const address = { vm: 'lab.vm*1', episode: 'ep>1', file: 'events.jsonl' };
  const subject = subjectOf('vmtel.host-a', address);
  assert.equal(subject, 'vmtel.host-a.lab~2Evm~2A1.ep~3E1.events~2Ejsonl');
  assert.deepEqual(addressOf('vmtel', subject), address, 'an archive on the common head reads a host prefix');
  assert.deepEqual(addressOf('vmtel.host-a', subject), address);
  assert.equal(addressOf('other', subject), null);
  assert.equal(addressOf('vmtel', 'vmtel.a.b'), null, 'too few tokens');
});

test('the archive refuses names that could step out of its folder', () => {
  assert.equal(archivePath('/srv/a', { vm: 'vm.1', episode: 'ep1', file: 'events.jsonl' }), '/srv/a/vm.1/ep1/events.jsonl');
  for (const bad of ['..', '.hidden', 'a/b', '', 'vm*']) {
    assert.equal(archivePath('/srv/a', { vm: bad, episode: 'ep1', file: 'f' }), null, `vm ${JSON.stringify(bad)}`);
    assert.equal(archivePath('/srv/a', { vm: 'vm', episode: 'ep1', file: bad }), null, `file ${JSON.stringify(bad)}`);
  }
});
