/** The notation reference; the `help` reply and the README section say the same thing. */
export interface HelpEntry {
  command: string;
  example: string;
  meaning: string;
}

export const NOTATION_HELP: readonly HelpEntry[] = [
  { command: 'goal', example: 'goal: Works fully offline', meaning: 'add a goal' },
  { command: 'edit', example: 'edit goal 2: Syncs within a minute', meaning: 'change goal 2’s text' },
  { command: 'move', example: 'move goal 3 to 1', meaning: 'reorder goals' },
  {
    command: 'constraint',
    example: 'constraint: Offline-first weight 100 — must work with no network',
    meaning: 'add a constraint; weight 0–100 (100 or "hard" = must hold, default 50); text after — is the description',
  },
  { command: 'weight', example: 'weight Offline-first 60', meaning: 'change a weight (whole number 0–100, or "hard")' },
  {
    command: 'dimension',
    example: 'dimension Storage: IndexedDB cost 1, OPFS cost 2, SQLite-wasm cost 3',
    meaning:
      'add a dimension with options (cost ≥ 0, default 1; "(text)" after an option is its description, commas and semicolons included)',
  },
  { command: 'option', example: 'option Storage: LocalStorage cost 0', meaning: 'add options to an existing dimension' },
  { command: 'cost', example: 'cost OPFS 2.5', meaning: 'change an option’s relative cost (≥ 0)' },
  {
    command: 'rate',
    example: 'rate OPFS Offline-first 0.9',
    meaning: 'how well an option serves a constraint, 0–1 ("rate OPFS: Offline-first 0.9, Cost 0.4" rates several)',
  },
  { command: 'unrate', example: 'unrate OPFS Offline-first', meaning: 'clear a rating back to "not rated"' },
  {
    command: 'attribute',
    example: 'attribute Energy (energy_wh) Wh',
    meaning:
      'a numeric quantity options carry, with its unit; the key in ( ) is what formulas use (default: from the name, "attribute Mass kg" → mass)',
  },
  {
    command: 'set',
    example: 'set LiPo: mass 0.8, energy_wh 250',
    meaning: 'an option’s attribute values ("set LiPo mass 0.8"; "none" clears one)',
  },
  {
    command: 'cost from',
    example: 'cost from price',
    meaning: 'R (cost) comes from an attribute’s summed values; "cost from options" goes back to option costs',
  },
  {
    command: 'constraint (computed)',
    example: 'constraint Flight range: energy_wh / ((mass + 5) * 0.025) >= 30 km margin 5 weight 100',
    meaning:
      'a constraint computed from attributes: a bare key is its sum over the chosen options; sum( ) min( ) max( ) mean( ) count( ) abs( ) sqrt( ), + − * / ^; satisfaction is 0.5 at the threshold and 1 one margin past it',
  },
  {
    command: 'quantity',
    example: 'quantity Flight range: energy_wh / mass >= 35 km',
    meaning: 'give an existing constraint a formula (": none" makes it rated again)',
  },
  {
    command: 'combine',
    example: 'combine Cold mornings weakest',
    meaning:
      'how the chosen options combine on a constraint: weakest (the worst decides) or mean (weighted mean); hard constraints are always weakest',
  },
  {
    command: 'incompatible',
    example: 'incompatible LiPo with Thermal/None — needs active cooling',
    meaning: 'two options of different dimensions that cannot go together; no run proposes a design with both',
  },
  { command: 'compatible', example: 'compatible LiPo with Thermal/None', meaning: 'remove an incompatibility' },
  {
    command: 'rename',
    example: 'rename constraint Offline-first to Works offline',
    meaning: 'rename a constraint, dimension, option or world-model item',
  },
  { command: 'describe', example: 'describe constraint Offline-first: no network for days', meaning: 'set a description' },
  {
    command: 'remove',
    example: 'remove constraint Offline-first',
    meaning: 'remove a goal (by number), constraint, dimension, option, attribute or world-model item',
  },
  { command: 'resolution', example: 'resolution fine', meaning: 'coarse, medium or fine' },
  { command: 'mode', example: 'mode eval only', meaning: 'default run mode: full search, eval only or seeded' },
  {
    command: 'actor',
    example: 'actor: Field technician — often without signal',
    meaning: 'world model (setup chats): also mechanism, resource, assumption, simplification',
  },
  { command: 'show', example: 'show spec', meaning: 'the whole spec and what is still missing' },
  { command: 'help', example: 'help rate', meaning: 'this list, or one command' },
];

export function helpText(topic: string | null): string {
  const wanted = topic?.trim().toLowerCase().replace(/^:/, '');
  const entries = wanted
    ? NOTATION_HELP.filter((entry) => entry.command.startsWith(wanted) || entry.example.toLowerCase().includes(wanted))
    : [];
  const shown = entries.length ? entries : NOTATION_HELP;
  const lines = shown.map((entry) => `• ${entry.example}\n   ${entry.meaning}`);
  const intro = entries.length
    ? ''
    : 'One command per line; a message with several lines is applied all together or not at all. Case and extra spaces do not matter, and names may contain spaces.\n\n';
  const unknownTopic = wanted && !entries.length ? `I have no command called "${topic}". ` : '';
  return `${unknownTopic}${intro}${lines.join('\n')}`;
}
