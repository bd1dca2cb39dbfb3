// `labels:`, the episode's own ground truth (which workload, benign or malicious, which trial):
// checked by the same rules as marker labels, each problem on its key's line.
import type { Labels } from '../live/labels';
import { labelsProblems } from '../live/labels';
import { mappingAt, type MappingPlace } from './check-options';

/** The checked labels; {} when the key is absent or wrong (then reported). */
export function checkLabels(value: unknown, topPlace: MappingPlace): Labels {
  if (value === undefined) return {};
  const at = ['labels'];
  const mapping = mappingAt(value, 'a mapping of label keys to strings, numbers or booleans', at, topPlace.problems);
  if (mapping === undefined) return {};
  const problems = labelsProblems(mapping);
  for (const [key, message] of problems) topPlace.problems.add(key === '' ? at : [...at, key], message);
  return problems.length === 0 ? (mapping as Labels) : {};
}
