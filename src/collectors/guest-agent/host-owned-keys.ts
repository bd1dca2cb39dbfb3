// A guest row cannot speak for the host: the stamps, the source and deployability in a row are
// always the host's. What the guest sent under those keys is kept under another name, so nothing
// it sent is lost: its own clock moves to t_guest_* (where the agent's clock belongs), anything
// else to guest_<key>. This is the rare, slow path; rows without those keys never reach it.
import { HOST_OWNED_KEYS } from '../../sink/row-format';
import { topLevelKeys } from './top-level-keys';

// An agent that stamps its rows with its own clock under the host's names means its own clock.
const GUEST_CLOCK_KEYS: Readonly<Record<string, string>> = {
  t_mono_ns: 't_guest_mono_ns',
  t_wall_ns: 't_guest_wall_ns',
};

export interface RenamedRow {
  /** The object text with host-owned top-level keys renamed, all other bytes unchanged. */
  text: string;
  /** Every top-level key of the result. */
  keys: ReadonlySet<string>;
}

/** Renames the host-owned top-level keys of `objectText` (JSON.parse has accepted it). */
export function renameHostOwnedKeys(objectText: string): RenamedRow {
  const spans = topLevelKeys(objectText);
  const keys = new Set(spans.map((span) => span.name));
  const renames = new Map<string, string>();
  for (const key of HOST_OWNED_KEYS) {
    if (!keys.has(key)) continue;
    let target = GUEST_CLOCK_KEYS[key] ?? `guest_${key}`;
    if (keys.has(target)) target = `guest_${key}`;
    while (keys.has(target)) target = `guest_${target}`;
    keys.add(target);
    renames.set(key, target);
  }
  for (const key of renames.keys()) keys.delete(key);

  let text = '';
  let copied = 0;
  for (const span of spans) {
    const target = renames.get(span.name);
    if (target === undefined) continue;
    text += objectText.slice(copied, span.start) + JSON.stringify(target);
    copied = span.end;
  }
  return { text: text + objectText.slice(copied), keys };
}
