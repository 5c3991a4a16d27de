import type { SpecContent } from '../../domain';
import { analyzeReadiness, type Readiness } from '../../domain/readiness';
import { describeSpecDiff, diffSpecs } from '../../domain/specDiff';
import { formatWeight, type WorldModelContent, WORLD_SECTION_SINGULAR } from '../../domain/specDelta';
import { WORLD_MODEL_SECTIONS } from '../../domain/worldModel';

const MODE_LABELS: Record<SpecContent['mode'], string> = { full_search: 'full search', eval_only: 'eval only', seeded: 'seeded' };

export function formatReadiness(readiness: Readiness): string {
  if (!readiness.issues.length) return 'Readiness: the spec is ready for a run.';
  const lines = readiness.issues.map((issue) => `• ${issue.severity === 'blocker' ? 'Missing' : 'Weak'}: ${issue.message}`);
  return `Readiness${readiness.ready ? ' (a run is possible, but)' : ' (not ready for a run yet)'}:\n${lines.join('\n')}`;
}

export function formatSpec(spec: SpecContent, world: WorldModelContent | null, baseSpec?: SpecContent): string {
  const out: string[] = [];
  if (baseSpec) {
    const diff = describeSpecDiff(diffSpecs(baseSpec, spec));
    out.push(diff.length ? `What-if spec — ${diff.length} difference${diff.length === 1 ? '' : 's'} from the project spec:\n${diff.map((l) => `  ${l}`).join('\n')}` : 'What-if spec — no differences from the project spec yet.');
  }
  out.push(spec.goals.length ? `Goals:\n${spec.goals.map((g, i) => `  ${i + 1}. ${g.text}`).join('\n')}` : 'Goals: none yet.');
  out.push(
    spec.constraints.length
      ? `Constraints:\n${spec.constraints.map((c) => `  • ${c.name} — weight ${formatWeight(c.weight)}${c.description ? ` — ${c.description}` : ''}`).join('\n')}`
      : 'Constraints: none yet.',
  );
  const dims = spec.designSpace.dimensions;
  if (!dims.length) out.push('Design space: no dimensions yet.');
  else {
    const lines: string[] = [];
    for (const dimension of dims) {
      lines.push(`  ${dimension.name}${dimension.description ? ` — ${dimension.description}` : ''}:`);
      if (!dimension.options.length) lines.push('    (no options)');
      for (const option of dimension.options) {
        const ratings = spec.constraints.map((c) => `${c.name} ${option.ratings[c.id] ?? '–'}`).join(', ');
        lines.push(`    • ${option.name} (cost ${option.cost})${ratings ? ` — ratings: ${ratings}` : ''}`);
      }
    }
    out.push(`Design space (– = not rated):\n${lines.join('\n')}`);
  }
  out.push(`Resolution: ${spec.resolution} · default run mode: ${MODE_LABELS[spec.mode]}`);
  if (world) {
    const worldLines = WORLD_MODEL_SECTIONS.filter((s) => world[s].length).map(
      (s) => `  ${WORLD_SECTION_SINGULAR[s]}s: ${world[s].map((item) => item.name).join(', ')}`,
    );
    if (worldLines.length) out.push(`World model:\n${worldLines.join('\n')}`);
  }
  out.push(formatReadiness(analyzeReadiness(spec)));
  return out.join('\n\n');
}
