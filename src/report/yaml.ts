/**
 * The YAML report: the same data as the JSON report ({@link timelineData}), printed with the
 * `yaml` package (YAML 1.2, quoting whatever would otherwise read back as another type).
 */
import { stringify } from 'yaml';
import { timelineData } from './json.ts';
import type { Timeline } from './timeline.ts';

/**
 * The YAML report: {@link renderJson}'s data as YAML 1.2 (`extra` fields merged at the top).
 *
 * @example
 * ```ts
 * writeFileSync('race.yaml', renderYaml(timelineOf(model, trace)));
 * ```
 *
 * @category Reports
 */
export function renderYaml(t: Timeline, extra: Record<string, unknown> = {}): string {
  // aliasDuplicateObjects: false — shared immutable objects are printed in full, never as &anchors.
  return stringify({ ...timelineData(t), ...extra }, { aliasDuplicateObjects: false, lineWidth: 0 });
}
