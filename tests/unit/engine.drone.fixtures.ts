import type { Constraint, DesignOption, SpecContent } from '../../src/domain';

/**
 * Issue #10's trade study: a battery for a 5 kg-payload delivery drone.
 * 6 chemistries × 3 pack layouts × 3 thermal options × 2 BMS = 108 designs; 7 constraints,
 * hard 'Flight range' (computed from attributes) and hard 'Thermal safety' (rated, weakest link);
 * attributes with units; R from the price attribute. `withIncompatibility` adds one pair.
 */
export const DRONE_RANGE_FORMULA = 'energy_wh / ((mass + 5) * 10)';

type Ratings = Partial<Record<'thermal' | 'cycles' | 'cold' | 'supply' | 'integration', number>>;
const option = (
  id: string,
  name: string,
  ratings: Ratings,
  attributes: Partial<Record<'energy' | 'mass' | 'price', number>>,
): DesignOption => ({
  id,
  name,
  description: '',
  cost: 0,
  ratings,
  attributes,
});

export function droneSpec(options: { incompatible?: [string, string][] } = {}): SpecContent {
  const constraints: Constraint[] = [
    {
      id: 'range',
      name: 'Flight range',
      description: '30 km round trip with 5 kg payload',
      weight: 100,
      combine: 'mean',
      quantity: { expression: DRONE_RANGE_FORMULA, comparator: 'atLeast', threshold: 30, unit: 'km', margin: 5 },
    },
    { id: 'thermal', name: 'Thermal safety', description: 'No thermal runaway', weight: 100, combine: 'mean', quantity: null },
    {
      id: 'mass',
      name: 'Pack mass',
      description: '',
      weight: 50,
      combine: 'mean',
      quantity: { expression: 'mass', comparator: 'atMost', threshold: 6, unit: 'kg', margin: 2 },
    },
    { id: 'cycles', name: 'Cycle life', description: '', weight: 40, combine: 'mean', quantity: null },
    { id: 'cold', name: 'Cold weather', description: '', weight: 30, combine: 'weakest', quantity: null },
    { id: 'supply', name: 'Supply risk', description: '', weight: 30, combine: 'mean', quantity: null },
    { id: 'integration', name: 'Integration effort', description: '', weight: 20, combine: 'mean', quantity: null },
  ];
  return {
    goals: [{ id: 'g', text: 'Pick a battery for a 5 kg-payload delivery drone' }],
    constraints,
    resolution: 'medium',
    mode: 'full_search',
    designSpace: {
      attributes: [
        { id: 'energy', key: 'energy_wh', name: 'Energy', unit: 'Wh' },
        { id: 'mass', key: 'mass', name: 'Mass', unit: 'kg' },
        { id: 'price', key: 'price', name: 'Price', unit: 'EUR' },
      ],
      incompatibilities: (options.incompatible ?? []).map(([a, b], i) => ({
        id: `x${i}`,
        optionIds: [a, b] as [string, string],
        reason: 'needs active cooling',
      })),
      costAttributeId: 'price',
      dimensions: [
        {
          id: 'chem',
          name: 'Chemistry',
          description: '',
          options: [
            option('lipo', 'LiPo', { thermal: 0.3, cycles: 0.3, cold: 0.6, supply: 0.9 }, { energy: 2700, mass: 3.0, price: 300 }),
            option('nmc', 'NMC', { thermal: 0.6, cycles: 0.6, cold: 0.6, supply: 0.9 }, { energy: 2800, mass: 3.2, price: 400 }),
            option('lfp', 'LiFePO4', { thermal: 0.95, cycles: 0.95, cold: 0.3, supply: 0.8 }, { energy: 2200, mass: 3.8, price: 350 }),
            option('nca', 'NCA', { thermal: 0.5, cycles: 0.5, cold: 0.6, supply: 0.6 }, { energy: 3000, mass: 3.0, price: 500 }),
            option(
              'sodium',
              'Sodium-ion',
              { thermal: 0.85, cycles: 0.8, cold: 0.85, supply: 0.5 },
              { energy: 1500, mass: 4.0, price: 250 },
            ),
            option('solid', 'Solid-state', { thermal: 0.9, cycles: 0.7, cold: 0.5, supply: 0.2 }, { energy: 3300, mass: 2.6, price: 900 }),
          ],
        },
        {
          id: 'layout',
          name: 'Pack layout',
          description: '',
          options: [
            option('6s4p', '6S4P', { integration: 0.8 }, { mass: 0.4, price: 30 }),
            option('12s2p', '12S2P', { integration: 0.6 }, { mass: 0.3, price: 40 }),
            option('12s3p', '12S3P', { integration: 0.4 }, { mass: 0.5, price: 60 }),
          ],
        },
        {
          id: 'cooling',
          name: 'Thermal',
          description: '',
          options: [
            option('none', 'None', { thermal: 0.2, cold: 0.4 }, { mass: 0, price: 0 }),
            option('passive', 'Passive', { thermal: 0.65, cold: 0.5 }, { mass: 0.5, price: 40 }),
            option('active', 'Active', { thermal: 0.95, cold: 0.9 }, { mass: 1.2, price: 150 }),
          ],
        },
        {
          id: 'bms',
          name: 'BMS',
          description: '',
          options: [
            option('basic', 'Basic', { thermal: 0.5, cycles: 0.5, integration: 0.9 }, { mass: 0.1, price: 20 }),
            option('smart', 'Smart', { thermal: 0.8, cycles: 0.8, integration: 0.6 }, { mass: 0.2, price: 60 }),
          ],
        },
      ],
    },
  };
}
