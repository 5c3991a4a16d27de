import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject, db, getSpec } from '../../src/db';
import { sendUserMessage } from '../../src/features/chats/sendMessage';
import { SpecPanel } from '../../src/features/spec/SpecPanel';

const SCRIPT = [
  'constraint: Thermal safety weight 100',
  'constraint: Low cost weight 40',
  'dimension Chemistry: LiPo cost 1, NMC cost 2, LFP cost 2',
  'dimension Thermal: None cost 0, Passive cost 1, Active cost 3',
  'attribute Mass kg',
  'attribute Energy (energy_wh) Wh',
  'set LiPo: mass 0.8, energy_wh 250',
  'set NMC: mass 1, energy_wh 260',
].join('\n');

async function setup() {
  const { project, chat } = await createProject({ title: 'Drone' });
  await sendUserMessage(chat, SCRIPT);
  const user = userEvent.setup();
  render(<SpecPanel projectId={project.id} chat={chat} />);
  await screen.findByRole('heading', { name: /Attributes/ });
  return { project, user };
}

const spec = async (projectId: string) => (await getSpec(projectId))!;

afterEach(cleanup);
beforeEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

describe('Spec tab: combine modes', () => {
  it('a hard constraint shows "weakest link (hard)"; a soft one switches mode through a SpecDelta with provenance', async () => {
    const { project, user } = await setup();
    const thermal = screen.getByRole('textbox', { name: 'Weight of Thermal safety' }).closest('li')!;
    expect(within(thermal).getByText('weakest link (hard)')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'How options combine on Low cost' }), 'weakest');
    await waitFor(async () => expect((await spec(project.id)).constraints[1]!.combine).toBe('weakest'));
    expect((await spec(project.id)).provenance.at(-1)).toMatchObject({
      actor: 'user',
      summary: '1 combine mode changed',
      changes: ['Low cost combines by weighted mean → weakest link'],
    });
  });
});

describe('Spec tab: quantity constraints', () => {
  it('validates the formula inline, names an unknown key, and saves a good one', async () => {
    const { project, user } = await setup();
    const lowCost = screen.getByRole('textbox', { name: 'Weight of Low cost' }).closest('li')!;
    await user.click(within(lowCost).getByRole('button', { name: 'Compute from attributes…' }));
    const formula = screen.getByRole('textbox', { name: 'Formula of Low cost' });
    await user.type(formula, 'energy / mass');
    await user.type(screen.getByRole('textbox', { name: 'Threshold of Low cost' }), '200');
    await user.type(screen.getByRole('textbox', { name: 'Margin of Low cost' }), '50');
    expect(
      await within(lowCost).findByText("The formula uses 'energy', which is not an attribute key (known keys: mass, energy_wh)."),
    ).toBeInTheDocument();
    expect(within(lowCost).getByRole('button', { name: 'Save formula' })).toBeDisabled();

    await user.clear(formula);
    await user.type(formula, 'energy_wh / mass');
    await user.type(screen.getByRole('textbox', { name: 'Unit of Low cost' }), 'Wh/kg');
    expect(within(lowCost).getByText('Satisfied (0.5) at 200 Wh/kg, fully (1) at 250 Wh/kg.')).toBeInTheDocument();
    await user.click(within(lowCost).getByRole('button', { name: 'Save formula' }));
    await waitFor(async () =>
      expect((await spec(project.id)).constraints[1]!.quantity).toEqual({
        expression: 'energy_wh / mass',
        comparator: 'atLeast',
        threshold: 200,
        unit: 'Wh/kg',
        margin: 50,
      }),
    );
    expect(await within(lowCost).findByText('Computed: energy_wh / mass ≥ 200 Wh/kg (margin 50 Wh/kg)')).toBeInTheDocument();
    // A computed constraint has no ratings column.
    expect(screen.queryByRole('gridcell', { name: /^Rating of LiPo on Low cost:/ })).not.toBeInTheDocument();
    expect(screen.getByRole('gridcell', { name: /^Rating of LiPo on Thermal safety:/ })).toBeInTheDocument();

    await user.click(within(lowCost).getByRole('button', { name: 'Score from ratings instead' }));
    await waitFor(async () => expect((await spec(project.id)).constraints[1]!.quantity).toBeNull());
  });
});

describe('Spec tab: attributes, values and cost source', () => {
  it('adds an attribute with a suggested key, edits a value, refuses a bad one, and takes R from an attribute', async () => {
    const { project, user } = await setup();
    await user.type(screen.getByRole('textbox', { name: 'New attribute name' }), 'Unit price');
    expect(screen.getByRole('textbox', { name: 'New attribute key' })).toHaveAttribute('placeholder', 'unit_price');
    await user.type(screen.getByRole('textbox', { name: 'New attribute unit' }), 'EUR');
    await user.click(screen.getByRole('button', { name: 'Add attribute' }));
    await waitFor(async () =>
      expect((await spec(project.id)).designSpace.attributes.map((a) => a.key)).toEqual(['mass', 'energy_wh', 'unit_price']),
    );

    await user.dblClick(await screen.findByRole('gridcell', { name: 'Unit price of LFP: no value' }));
    const price = screen.getByRole('textbox', { name: 'Unit price of LFP' });
    await user.type(price, 'cheap{Enter}');
    expect(await screen.findByText(/A value is a number, e.g. 0.8 or -3 \(leave empty for "no value"\)./)).toBeInTheDocument();
    await user.clear(price);
    await user.type(price, '35{Enter}');
    await waitFor(async () => {
      const s = await spec(project.id);
      const lfp = s.designSpace.dimensions[0]!.options.find((o) => o.name === 'LFP')!;
      expect(lfp.attributes[s.designSpace.attributes[2]!.id]).toBe(35);
    });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Cost (R) comes from' }), 'Unit price (summed, EUR)');
    await waitFor(async () => {
      const s = await spec(project.id);
      expect(s.designSpace.costAttributeId).toBe(s.designSpace.attributes[2]!.id);
    });
    expect((await spec(project.id)).provenance.at(-1)!.changes).toEqual(['cost (R) from option costs → attribute Unit price']);
  });

  it('refuses to remove an attribute a formula uses, naming the constraint', async () => {
    const { user } = await setup();
    const { project } = { project: (await db.projects.toArray())[0]! };
    const chat = (await db.chatSessions.toArray())[0]!;
    await sendUserMessage(chat, 'quantity Low cost: mass <= 2 kg margin 1');
    await screen.findByText(/Computed: mass ≤ 2 kg/);
    await user.click(screen.getByRole('button', { name: 'Remove attribute Mass' }));
    expect(
      await screen.findByText('Attribute "Mass" is used by the formula of "Low cost"; change or remove that formula first.'),
    ).toBeInTheDocument();
    expect((await spec(project.id)).designSpace.attributes).toHaveLength(2);
  });
});

describe('Spec tab: incompatible options', () => {
  it('adds a pair from different dimensions with a reason, counts the designs excluded, and removes it', async () => {
    const { project, user } = await setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'First option' }), 'LiPo');
    const second = screen.getByRole('combobox', { name: 'Cannot go with' });
    // Options of LiPo's own dimension are not offered.
    expect(within(second).queryByRole('option', { name: 'NMC' })).not.toBeInTheDocument();
    await user.selectOptions(second, 'None');
    await user.type(screen.getByRole('textbox', { name: 'Reason' }), 'needs cooling');
    await user.click(screen.getByRole('button', { name: 'Mark incompatible' }));
    await waitFor(() => expect(screen.getByTestId('excluded-designs')).toHaveTextContent('excludes 1 of 9 designs'));
    expect(screen.getByText('— needs cooling')).toBeInTheDocument();
    const stored = (await spec(project.id)).designSpace.incompatibilities;
    expect(stored).toHaveLength(1);
    expect((await spec(project.id)).provenance.at(-1)).toMatchObject({
      summary: '+1 incompatibility',
      changes: ['incompatible: Chemistry/LiPo × Thermal/None — needs cooling'],
    });

    await user.selectOptions(screen.getByRole('combobox', { name: 'First option' }), 'NMC');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Cannot go with' }), 'None');
    await user.click(screen.getByRole('button', { name: 'Mark incompatible' }));
    await waitFor(() => expect(screen.getByTestId('excluded-designs')).toHaveTextContent('excludes 2 of 9 designs'));

    await user.click(screen.getByRole('button', { name: 'Make Chemistry: LiPo and Thermal: None compatible again' }));
    await waitFor(async () => expect((await spec(project.id)).designSpace.incompatibilities).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId('excluded-designs')).toHaveTextContent('excludes 1 of 9 designs'));
  });

  it('asks for two options instead of saving half a pair', async () => {
    const { project, user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Mark incompatible' }));
    expect(await screen.findByText('Pick two options, from different dimensions.')).toBeInTheDocument();
    expect((await spec(project.id)).designSpace.incompatibilities).toEqual([]);
  });
});
