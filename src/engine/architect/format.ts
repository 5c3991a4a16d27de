import {
  type SpecContent,
  analyzeReadiness,
  type Readiness,
  describeSpecDiff,
  diffSpecs,
  countExcludedDesigns,
  describeExclusion,
  describeQuantity,
  COMBINE_LABEL,
  formatWeight,
  type WorldModelContent,
  WORLD_SECTION_SINGULAR,
  WORLD_MODEL_SECTIONS,
} from '../../domain';

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
    out.push(
      diff.length
        ? `What-if spec — ${diff.length} difference${diff.length === 1 ? '' : 's'} from the project spec:\n${diff.map((l) => `  ${l}`).join('\n')}`
        : 'What-if spec — no differences from the project spec yet.',
    );
  }
  out.push(spec.goals.length ? `Goals:\n${spec.goals.map((g, i) => `  ${i + 1}. ${g.text}`).join('\n')}` : 'Goals: none yet.');
  out.push(
    spec.constraints.length
      ? `Constraints:\n${spec.constraints
          .map((c) => {
            const how = c.quantity
              ? `computed: ${describeQuantity(c.quantity)}`
              : `combines by ${c.weight >= 100 ? 'weakest link (hard)' : COMBINE_LABEL[c.combine]}`;
            return `  • ${c.name} — weight ${formatWeight(c.weight)}${c.description ? ` — ${c.description}` : ''} — ${how}`;
          })
          .join('\n')}`
      : 'Constraints: none yet.',
  );
  const dims = spec.designSpace.dimensions;
  const attributes = spec.designSpace.attributes;
  if (attributes.length) {
    out.push(`Attributes: ${attributes.map((a) => `${a.name} (${a.key}${a.unit ? `, ${a.unit}` : ''})`).join(', ')}`);
  }
  const costAttribute = attributes.find((a) => a.id === spec.designSpace.costAttributeId);
  out.push(
    `Cost (R): ${costAttribute ? `summed ${costAttribute.name} (${costAttribute.key}${costAttribute.unit ? `, ${costAttribute.unit}` : ''})` : 'option costs'}`,
  );
  const rated = spec.constraints.filter((c) => !c.quantity);
  if (!dims.length) out.push('Design space: no dimensions yet.');
  else {
    const lines: string[] = [];
    for (const dimension of dims) {
      lines.push(`  ${dimension.name}${dimension.description ? ` — ${dimension.description}` : ''}:`);
      if (!dimension.options.length) lines.push('    (no options)');
      for (const option of dimension.options) {
        const ratings = rated.map((c) => `${c.name} ${option.ratings[c.id] ?? '–'}`).join(', ');
        const values = attributes
          .filter((a) => option.attributes[a.id] !== undefined)
          .map((a) => `${a.key} ${option.attributes[a.id]}${a.unit ? ` ${a.unit}` : ''}`);
        lines.push(
          `    • ${option.name} (cost ${option.cost})${values.length ? ` — ${values.join(', ')}` : ''}${ratings ? ` — ratings: ${ratings}` : ''}`,
        );
      }
    }
    out.push(`Design space (– = not rated):\n${lines.join('\n')}`);
  }
  const incompatibilities = spec.designSpace.incompatibilities;
  if (incompatibilities.length) {
    const label = new Map(dims.flatMap((d) => d.options.map((o) => [o.id, `${d.name}/${o.name}`] as const)));
    const pairs = incompatibilities.map(
      (i) =>
        `  • ${label.get(i.optionIds[0]) ?? i.optionIds[0]} × ${label.get(i.optionIds[1]) ?? i.optionIds[1]}${i.reason ? ` — ${i.reason}` : ''}`,
    );
    out.push(`Incompatible (${describeExclusion(countExcludedDesigns(spec.designSpace))}):\n${pairs.join('\n')}`);
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
