// Which ratings and attribute values a spec still lacks, each with a short label the model answers by
// (labels are unambiguous where option names repeat across dimensions).
import type { SpecContent, SpecOp } from '../../domain';

export interface MissingCell {
  label: string;
  kind: 'rating' | 'attribute';
  optionId: string;
  /** "Dimension / Option" */
  optionLabel: string;
  targetId: string;
  targetName: string;
  unit: string;
}

/** Upper bound per request: beyond it a small local model loses track; the user asks again for the rest. */
export const MAX_CELLS_PER_REQUEST = 120;

/**
 * Ratings: for a rated (non-formula) constraint, the unrated options of every dimension that already rates it;
 * for a constraint nobody rates yet, every option (the model may leave cells it finds irrelevant).
 * Attributes: every option without a value for an attribute.
 */
export function missingCells(spec: SpecContent): MissingCell[] {
  const cells: MissingCell[] = [];
  const { dimensions, attributes } = spec.designSpace;
  for (const constraint of spec.constraints) {
    if (constraint.quantity) continue;
    const ratedAnywhere = dimensions.some((dimension) => dimension.options.some((option) => constraint.id in option.ratings));
    for (const dimension of dimensions) {
      const ratesIt = dimension.options.some((option) => constraint.id in option.ratings);
      if (ratedAnywhere && !ratesIt) continue;
      for (const option of dimension.options) {
        if (constraint.id in option.ratings) continue;
        cells.push({
          label: '',
          kind: 'rating',
          optionId: option.id,
          optionLabel: `${dimension.name} / ${option.name}`,
          targetId: constraint.id,
          targetName: constraint.name,
          unit: '',
        });
      }
    }
  }
  for (const attribute of attributes) {
    for (const dimension of dimensions) {
      for (const option of dimension.options) {
        if (attribute.id in option.attributes) continue;
        cells.push({
          label: '',
          kind: 'attribute',
          optionId: option.id,
          optionLabel: `${dimension.name} / ${option.name}`,
          targetId: attribute.id,
          targetName: attribute.name,
          unit: attribute.unit,
        });
      }
    }
  }
  return cells
    .slice(0, MAX_CELLS_PER_REQUEST)
    .map((cell, index) => ({ ...cell, label: `${cell.kind === 'rating' ? 'r' : 'a'}${index + 1}` }));
}

/** Is the cell still empty in this spec (it may have been filled since the proposal was made)? */
export function stillMissing(spec: SpecContent, cell: Pick<MissingCell, 'kind' | 'optionId' | 'targetId'>): boolean {
  for (const dimension of spec.designSpace.dimensions) {
    const option = dimension.options.find((candidate) => candidate.id === cell.optionId);
    if (!option) continue;
    if (cell.kind === 'rating')
      return spec.constraints.some((constraint) => constraint.id === cell.targetId) && !(cell.targetId in option.ratings);
    return spec.designSpace.attributes.some((attribute) => attribute.id === cell.targetId) && !(cell.targetId in option.attributes);
  }
  return false;
}

export function opFor(cell: Pick<MissingCell, 'kind' | 'optionId' | 'targetId'>, value: number): SpecOp {
  return cell.kind === 'rating'
    ? { op: 'setRating', optionId: cell.optionId, constraintId: cell.targetId, rating: value }
    : { op: 'setAttributeValue', optionId: cell.optionId, attributeId: cell.targetId, value };
}
