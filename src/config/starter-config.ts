// The commented starting config `vmtel init` writes, generated from the same option specs the
// loader checks against, so every key it shows exists, with its real default and meaning.
import { dump } from 'js-yaml';
import { BUILT_IN_KIND_NAMES, builtInKind } from '../collectors/registry';
import { expectation } from './check-value';
import { RESTART_SCHEMA, RUN_DIR_SPEC, TOP_LEVEL_SCHEMA } from './config-keys';
import type { OptionSchema, OptionSpec } from './option-spec';

// Values a new VM needs before it can run: the kinds' required options, given a sensible value.
const REQUIRED_EXAMPLES = (vm: string): Record<string, unknown> => ({ interface: `tap-${vm}` });

/** A config for `vm` that validates as written: required keys set, every other key commented. */
export function starterConfig(vm: string): string {
  const lines = [
    `# vmtel config of VM ${vm}, written by \`vmtel init\`. One file per VM; one \`vmtel run\` per episode.`,
    '# Commented keys show their defaults. Every key: docs/configuration.md. ${NAME} takes the',
    '# environment variable NAME. Before an episode: vmtel check --config THIS_FILE',
    '',
    ...keyLines('vm', TOP_LEVEL_SCHEMA.vm, vm, true),
    ...keyLines('episode', TOP_LEVEL_SCHEMA.episode, 'ep001', true, 'name it per episode, e.g. episode: ${EPISODE}'),
    ...keyLines('run_dir', RUN_DIR_SPEC, `runs/${vm}/ep001`, false, 'default: runs/<vm>/<episode> beside this file'),
    ...schemaLines(TOP_LEVEL_SCHEMA, ['vm', 'episode'], false),
    '# backoff for a collector that fails: restarted after initial_delay_ms, doubling, at most max_restarts times',
    '# restart:',
    ...schemaLines(RESTART_SCHEMA, [], true),
    '',
    '# One entry per collector; the key names its rows (`source`) and its file.',
    'collectors:',
  ];
  for (const kind of BUILT_IN_KIND_NAMES) {
    const definition = builtInKind(kind)!;
    lines.push(`  # ${definition.description}`, `  ${kind}:`);
    for (const [key, spec] of Object.entries(definition.options)) {
      const required = spec.default === undefined;
      lines.push(...keyLines(key, spec, required ? REQUIRED_EXAMPLES(vm)[key] : spec.default, required).map((line) => `    ${line}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

// Each key of `schema` but `skip`: top-level ones commented out; nested (restart) ones under a
// commented parent, so that removing "# " from every line of the block makes it live.
function schemaLines(schema: OptionSchema, skip: readonly string[], nested: boolean): string[] {
  return Object.entries(schema)
    .filter(([key]) => !skip.includes(key))
    .flatMap(([key, spec]) => keyLines(key, spec, spec.default, nested).map((line) => (nested ? `#   ${line}` : line)));
}

// `# doc [what it accepts]` and `key: value`, the latter commented out unless `set`.
function keyLines(key: string, spec: OptionSpec, value: unknown, set: boolean, note?: string): string[] {
  const comment = `# ${spec.doc} [${expectation(spec)}]${note === undefined ? '' : `; ${note}`}`;
  const text = dump({ [key]: value }, { lineWidth: -1 }).trimEnd().split('\n');
  return [comment, ...text.map((line) => (set ? line : `# ${line}`))];
}
