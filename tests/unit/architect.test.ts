// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { emptySpecContent, type ChatMode, type SpecContent } from '../../src/domain';
import { applySpecDelta, emptyWorldModelContent, type WorldModelContent } from '../../src/domain/specDelta';
import { createOfflineArchitect, respondOffline, type ArchitectReply } from '../../src/engine/architect';

function counter() {
  let n = 0;
  return () => `id-${++n}`;
}

/** A small conversation: each `say` applies the returned delta, as the app would. */
function conversation(mode: ChatMode = 'setup', start: SpecContent = emptySpecContent()) {
  const newId = counter();
  const state: { spec: SpecContent; world: WorldModelContent } = { spec: start, world: emptyWorldModelContent() };
  const say = (text: string): ArchitectReply => {
    const reply = respondOffline({ mode, history: [], spec: state.spec, world: state.world, userText: text }, newId);
    if (reply.delta) {
      const applied = applySpecDelta(state.spec, reply.delta, state.world);
      if (!applied.ok) throw new Error(`delta from the Architect did not apply: ${applied.error.message}`);
      state.spec = applied.spec;
      state.world = applied.world ?? state.world;
    }
    return reply;
  };
  return { state, say };
}

const SPEC_SCRIPT = [
  'goal: Works fully offline',
  'constraint: Offline-first weight 100 — must work with no network',
  'constraint: Low cost weight 40',
  'dimension Storage: IndexedDB cost 1, OPFS cost 2, SQLite-wasm cost 3',
  'rate OPFS Offline-first 0.9',
].join('\n');

function seeded() {
  const chat = conversation();
  chat.say(SPEC_SCRIPT);
  return chat;
}

describe('Architect notation: adding things', () => {
  it('adds a goal and says so', () => {
    const { state, say } = conversation();
    const reply = say('goal: Works fully offline');
    expect(reply.outcome).toBe('changes');
    expect(reply.summary).toBe('+1 goal');
    expect(reply.text).toContain('goal added: "Works fully offline"');
    expect(state.spec.goals.map((g) => g.text)).toEqual(['Works fully offline']);
  });

  it.each([
    ['GOAL:   Works   fully offline', 'Works fully offline'],
    ['goal Works fully offline.', 'Works fully offline'],
    ['- goal: "Works fully offline"', 'Works fully offline'],
    ['add goal Works fully offline', 'Works fully offline'],
    ['  Goal :Works fully offline  ', 'Works fully offline'],
  ])('reads %j forgivingly', (line, text) => {
    const { state, say } = conversation();
    say(line);
    expect(state.spec.goals.map((g) => g.text)).toEqual([text]);
  });

  it('adds a constraint with weight and description', () => {
    const { state, say } = conversation();
    const reply = say('constraint: Offline-first weight 100 — must work with no network');
    expect(reply.summary).toBe('+1 constraint');
    expect(state.spec.constraints).toEqual([
      { id: 'id-1', name: 'Offline-first', description: 'must work with no network', weight: 100, combine: 'mean', quantity: null },
    ]);
    expect(reply.text).toContain('Offline-first, weight 100 (hard)');
  });

  it.each([
    ['Constraint:  Offline-first   WEIGHT 70 - no network', 70, 'no network'],
    ['constraint Offline-first hard', 100, ''],
    ['constraint Offline-first (80) -- no network', 80, 'no network'],
    ['constraint: Offline-first weight: 60', 60, ''],
    ['constraint Offline-first w=30 – no network', 30, 'no network'],
  ])('reads constraint variant %j', (line, weight, description) => {
    const { state, say } = conversation();
    say(line);
    expect(state.spec.constraints[0]).toMatchObject({ name: 'Offline-first', weight, description });
  });

  it('gives a constraint without weight the default and tells the user', () => {
    const { state, say } = conversation();
    const reply = say('constraint: Small bundle');
    expect(state.spec.constraints[0]!.weight).toBe(50);
    expect(reply.text).toContain('default weight 50');
  });

  it('adds a dimension with its options and costs', () => {
    const { state, say } = conversation();
    const reply = say('dimension Storage: IndexedDB cost 1, OPFS cost 2, SQLite-wasm cost 3');
    expect(reply.summary).toBe('+1 dimension, +3 options');
    const [dimension] = state.spec.designSpace.dimensions;
    expect(dimension!.name).toBe('Storage');
    expect(dimension!.options.map((o) => [o.name, o.cost])).toEqual([
      ['IndexedDB', 1],
      ['OPFS', 2],
      ['SQLite-wasm', 3],
    ]);
  });

  it('reads option descriptions in parentheses and adds options to an existing dimension', () => {
    const { state, say } = conversation();
    say('Dimension  storage :IndexedDB cost 1 (built in)');
    say('option Storage: LocalStorage cost 0, OPFS (file system) cost 2.5');
    say('dimension Storage: Cache API');
    const options = state.spec.designSpace.dimensions[0]!.options;
    expect(options.map((o) => [o.name, o.cost, o.description])).toEqual([
      ['IndexedDB', 1, 'built in'],
      ['LocalStorage', 0, ''],
      ['OPFS', 2.5, 'file system'],
      ['Cache API', 1, ''],
    ]);
    expect(state.spec.designSpace.dimensions).toHaveLength(1);
  });

  it('adds world-model items in setup chats', () => {
    const { state, say } = conversation();
    const reply = say('actor: Field technician — often without signal\nassumptions: Devices have 1 GB free');
    expect(reply.summary).toBe('+2 world-model items');
    expect(state.world.actors).toEqual([{ id: 'id-1', name: 'Field technician', description: 'often without signal' }]);
    expect(state.world.assumptions[0]!.name).toBe('Devices have 1 GB free');
  });
});

describe('Architect notation: changing things', () => {
  it('changes a weight, forgiving about case, spacing and punctuation in the name', () => {
    const { state, say } = seeded();
    const reply = say('weight Offline-first 60');
    expect(reply.text).toContain('weight Offline-first 100 (hard) → 60');
    expect(reply.summary).toBe('1 weight changed');
    say('WEIGHT  offline first = 70');
    expect(state.spec.constraints[0]!.weight).toBe(70);
    say('set weight of Offline-first to hard');
    expect(state.spec.constraints[0]!.weight).toBe(100);
  });

  it('rates an option on a constraint, including names with spaces and several at once', () => {
    const { state, say } = seeded();
    const opfs = () => state.spec.designSpace.dimensions[0]!.options[1]!;
    const [offline, lowCost] = state.spec.constraints;
    expect(opfs().ratings).toEqual({ [offline!.id]: 0.9 });
    say('rate OPFS low cost 0.3');
    expect(opfs().ratings[lowCost!.id]).toBe(0.3);
    const reply = say('rate opfs: Offline-first 1, Low cost .25');
    expect(reply.summary).toBe('2 ratings set');
    expect(opfs().ratings).toEqual({ [offline!.id]: 1, [lowCost!.id]: 0.25 });
    say('rate Storage/OPFS on Low cost = 40%');
    expect(opfs().ratings[lowCost!.id]).toBe(0.4);
    say('unrate OPFS Low cost');
    expect(opfs().ratings).toEqual({ [offline!.id]: 1 });
  });

  it('changes a cost', () => {
    const { state, say } = seeded();
    const reply = say('cost SQLite-wasm 4');
    expect(reply.text).toContain('cost SQLite-wasm 3 → 4');
    expect(state.spec.designSpace.dimensions[0]!.options[2]!.cost).toBe(4);
  });

  it('renames constraints, options, dimensions and goals', () => {
    const { state, say } = seeded();
    say('rename constraint Low cost to Cheap');
    say('rename OPFS -> Origin private FS');
    say('Rename dimension storage to Persistence');
    say('edit goal 1: Works offline for a week');
    expect(state.spec.constraints.map((c) => c.name)).toEqual(['Offline-first', 'Cheap']);
    expect(state.spec.designSpace.dimensions[0]!.name).toBe('Persistence');
    expect(state.spec.designSpace.dimensions[0]!.options[1]!.name).toBe('Origin private FS');
    expect(state.spec.goals[0]!.text).toBe('Works offline for a week');
    // Ratings follow the option through the rename: they are keyed by id.
    expect(Object.values(state.spec.designSpace.dimensions[0]!.options[1]!.ratings)).toEqual([0.9]);
  });

  it('removes things and drops the ratings of a removed constraint', () => {
    const { state, say } = seeded();
    const reply = say('remove constraint Offline-first');
    expect(reply.summary).toBe('−1 constraint');
    expect(state.spec.constraints.map((c) => c.name)).toEqual(['Low cost']);
    expect(state.spec.designSpace.dimensions[0]!.options[1]!.ratings).toEqual({});
    say('delete option SQLite-wasm\nremove goal 1');
    expect(state.spec.goals).toEqual([]);
    expect(state.spec.designSpace.dimensions[0]!.options.map((o) => o.name)).toEqual(['IndexedDB', 'OPFS']);
    say('drop dimension Storage');
    expect(state.spec.designSpace.dimensions).toEqual([]);
  });

  it('describes, reorders and sets resolution and mode', () => {
    const { state, say } = seeded();
    say(
      'goal: Cheap to host\nmove goal 2 to 1\ndescribe constraint Low cost: hosting under 5 EUR a month\nresolution FINE\nmode eval only',
    );
    expect(state.spec.goals.map((g) => g.text)).toEqual(['Cheap to host', 'Works fully offline']);
    expect(state.spec.constraints[1]!.description).toBe('hosting under 5 EUR a month');
    expect(state.spec.resolution).toBe('fine');
    expect(state.spec.mode).toBe('eval_only');
    say('run mode: full-search');
    expect(state.spec.mode).toBe('full_search');
  });

  it('lets later lines refer to what earlier lines of the same message add', () => {
    const { state, say } = conversation();
    const reply = say(SPEC_SCRIPT);
    expect(reply.outcome).toBe('changes');
    expect(reply.summary).toBe('+1 goal, +2 constraints, +1 dimension, +3 options, 1 rating set');
    expect(state.spec.designSpace.dimensions[0]!.options[1]!.ratings).toEqual({ [state.spec.constraints[0]!.id]: 0.9 });
  });

  it('says so when a line changes nothing', () => {
    const { say } = seeded();
    const reply = say('weight Offline-first 100');
    expect(reply.outcome).toBe('info');
    expect(reply.delta).toBeNull();
    expect(reply.text).toContain('No change');
  });
});

describe('Architect notation: bad input changes nothing and explains', () => {
  it.each([
    ['weight Offline-first 150', 'Weight 150 is out of range. Weights go from 0 to 100', 'weight Offline-first 100'],
    ['weight Offline-first 60.5', 'Weight 60.5 is not a whole number', 'weight Offline-first 61'],
    ['weight Offline-first lots', '"lots" is not a weight', 'weight Offline-first 50'],
    ['rate OPFS Offline-first 2', 'Rating 2 is out of range. Ratings go from 0 to 1', 'rate OPFS Offline-first 0.2'],
    ['rate OPFS Offline-first -0.5', 'Rating -0.5 is out of range', 'rate OPFS Offline-first 0'],
    ['cost OPFS -3', 'Cost -3 is negative', 'cost OPFS 0'],
    ['resolution ultra', '"ultra" is not a resolution. Choose coarse, medium or fine.', 'resolution medium'],
    ['mode turbo', '"turbo" is not a run mode', 'mode full search'],
  ])('%j', (line, message, fix) => {
    const { state, say } = seeded();
    const before = structuredClone(state.spec);
    const reply = say(line);
    expect(reply.outcome).toBe('rejected');
    expect(reply.delta).toBeNull();
    expect(reply.text).toContain(message);
    expect(reply.text).toContain(`Try: ${fix}`);
    expect(reply.text).toContain('Nothing was changed');
    expect(reply.suggestions[0]).toEqual({ label: fix, text: fix });
    expect(state.spec).toEqual(before);
  });

  it('names an unknown constraint in rate and suggests the closest one', () => {
    const { say } = seeded();
    const reply = say('rate OPFS Offlne-first 0.5');
    expect(reply.outcome).toBe('rejected');
    expect(reply.text).toContain('There is no constraint named "Offlne-first". Did you mean "Offline-first"?');
  });

  it('names an unknown option in rate and lists what exists when nothing is close', () => {
    const { say } = seeded();
    const reply = say('rate Postgres Offline-first 0.5');
    expect(reply.text).toContain('There is no option named "Postgres". Known options: "IndexedDB", "OPFS", "SQLite-wasm".');
  });

  it('refuses duplicate names and points at the command that changes the existing item', () => {
    const { say } = seeded();
    const reply = say('constraint: offline-first weight 20');
    expect(reply.text).toContain('A constraint named "Offline-first" already exists');
    expect(reply.text).toContain('weight Offline-first 20');
    expect(say('option Storage: OPFS cost 1').text).toContain('Dimension Storage already has an option named "OPFS"');
    expect(say('dimension Cache: A cost 1, a cost 2').text).toContain('listed twice');
  });

  it('applies nothing from a message when one of its lines is bad, and names the line', () => {
    const { state, say } = seeded();
    const before = structuredClone(state.spec);
    const reply = say('goal: Sync when online\nweight Low cost 55\nweight Offline-first 150\nrate OPFS Low cost 0.2');
    expect(reply.outcome).toBe('rejected');
    expect(reply.text).toContain('Line 3 ("weight Offline-first 150"): Weight 150 is out of range');
    expect(reply.text).toContain('Nothing was changed: a message applies all of its lines or none');
    expect(state.spec).toEqual(before);
  });

  it('rejects an unknown line mixed with good ones', () => {
    const { state, say } = seeded();
    const reply = say('goal: Sync when online\nplease make it fast');
    expect(reply.outcome).toBe('rejected');
    expect(reply.text).toContain('Line 2 ("please make it fast"): "please" is not a command I know.');
    expect(state.spec.goals).toHaveLength(1);
  });

  it('asks which item is meant when a name is ambiguous', () => {
    const { say } = seeded();
    say('dimension Sync: OPFS cost 1');
    const reply = say('cost OPFS 2');
    expect(reply.text).toContain('write "Storage/OPFS" or "Sync/OPFS"');
    expect(say('cost Sync/OPFS 2').outcome).toBe('changes');
  });

  it('refuses world-model changes in a what-if chat because the world model is shared', () => {
    const { say } = conversation('whatif');
    const reply = say('actor: Auditor');
    expect(reply.outcome).toBe('rejected');
    expect(reply.text).toContain('The world model is shared by all chats');
  });

  it('explains a missing goal number', () => {
    const { say } = seeded();
    expect(say('remove goal 4').text).toContain('There is no goal number 4; goals are numbered 1 to 1.');
  });
});

describe('Architect replies without changes', () => {
  it('answers free text with readiness, the next step and a pointer to help', () => {
    const { say } = conversation();
    const reply = say('I want to build an offline notes app');
    expect(reply.outcome).toBe('unrecognised');
    expect(reply.delta).toBeNull();
    expect(reply.text).toContain('There are no constraints yet');
    expect(reply.text).toContain('There are no design dimensions yet');
    expect(reply.text).toContain('Next step:');
    expect(reply.text).toContain('Type "help"');
    expect(reply.suggestions.map((s) => s.text)).toContain('help');
  });

  it('reports weak spots once the basics exist', () => {
    const { say } = seeded();
    const reply = say('what now?');
    expect(reply.text).toContain('Options IndexedDB, SQLite-wasm have no ratings.');
    expect(reply.text).toContain('No option is rated on Low cost.');
    expect(reply.text).toContain('Try: rate IndexedDB Offline-first 0.8');
  });

  it('spots a mistyped command word', () => {
    const { say } = seeded();
    expect(say('wieght Offline-first 40').text).toContain('did you mean "weight"?');
  });

  it('lists every command on help, and one command on "help rate"', () => {
    const { say } = conversation();
    const all = say('help');
    for (const example of [
      'goal: Works fully offline',
      'weight Offline-first 60',
      'rate OPFS Offline-first 0.9',
      'remove constraint',
      'rename constraint',
      'show spec',
    ]) {
      expect(all.text).toContain(example);
    }
    const rate = say('HELP rate');
    expect(rate.text).toContain('rate OPFS Offline-first 0.9');
    expect(rate.text).not.toContain('goal: Works fully offline');
  });

  it('shows the spec with unrated cells marked and readiness', () => {
    const { say } = seeded();
    const reply = say('show spec');
    expect(reply.outcome).toBe('info');
    expect(reply.text).toContain('1. Works fully offline');
    expect(reply.text).toContain('Offline-first — weight 100 (hard) — must work with no network');
    expect(reply.text).toContain('OPFS (cost 2) — ratings: Offline-first 0.9, Low cost –');
    expect(reply.text).toContain('Readiness');
  });

  it('shows a what-if spec with its differences from the project spec', () => {
    const base = seeded().state.spec;
    const { state, say } = conversation('whatif', base);
    say('weight Offline-first 40');
    const reply = respondOffline({
      mode: 'whatif',
      history: [],
      spec: state.spec,
      baseSpec: base,
      world: emptyWorldModelContent(),
      userText: 'show spec',
    });
    expect(reply.text).toContain('1 difference from the project spec');
    expect(reply.text).toContain('constraint Offline-first: weight 100 (hard) → 40');
  });

  it('in analysis chats shows the spec but never changes it', () => {
    const base = seeded().state.spec;
    const { say } = conversation('analysis', base);
    const edit = say('weight Offline-first 10');
    expect(edit.delta).toBeNull();
    expect(edit.text).toContain('does not change the spec');
    expect(say('show spec').text).toContain('Offline-first');
  });

  it('behind the async interface gives the same reply', async () => {
    const architect = createOfflineArchitect({ newId: counter() });
    const reply = await architect.respond({
      mode: 'setup',
      history: [],
      spec: emptySpecContent(),
      world: emptyWorldModelContent(),
      userText: 'goal: Works fully offline',
    });
    expect(reply.delta).toEqual({ ops: [{ op: 'addGoal', id: 'id-1', text: 'Works fully offline' }] });
  });
});
