// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { emptySpecContent } from '../../src/domain';
import { emptyWorldModelContent } from '../../src/domain/specDelta';
import { respondOffline } from '../../src/engine/architect';
import { ECHO_LIMIT } from '../../src/engine/architect/offlineArchitect';

function reply(userText: string) {
  let n = 0;
  return respondOffline(
    { mode: 'setup', history: [], spec: emptySpecContent(), world: emptyWorldModelContent(), userText },
    () => `id-${++n}`,
  );
}

describe("the Architect's echo of a notation message", () => {
  it('lists the changes of a short message in the reply', () => {
    const answer = reply('goal: Works offline\nconstraint: Safety weight 80');
    expect(answer.text).toContain('• goal added: "Works offline"');
    expect(answer.text).toMatch(/^• .*Safety/m);
    expect(answer.details).toHaveLength(2);
  });

  it('collapses a long message to its summary; every change is still in the details the card lists', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `constraint: C${i} weight ${i + 1}`);
    const answer = reply(lines.join('\n'));
    expect(answer.details).toHaveLength(30);
    expect(answer.text).toContain('Updated the spec: +30 constraints. All 30 changes are listed in the Spec update card below.');
    expect(answer.text).not.toContain('•');
    expect(answer.details.length).toBeGreaterThan(ECHO_LIMIT);
  });

  it('keeps a few of many notes and counts the rest', () => {
    const answer = reply(Array.from({ length: 10 }, (_, i) => `constraint: C${i}`).join('\n'));
    expect(answer.text.match(/^Note: /gm)).toHaveLength(4);
    expect(answer.text).toContain('(and 6 more notes like these)');
  });
});
