import { render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { Markdown } from '../../src/shared/Markdown';
import { MarkdownRenderer } from '../../src/shared/MarkdownRenderer';

function html(source: string): string {
  const { container } = render(<MarkdownRenderer source={source} />);
  return container.querySelector('.markdown')!.innerHTML;
}

function rendered(source: string) {
  return render(<MarkdownRenderer source={source} />).container.querySelector('.markdown')!;
}

describe('Markdown (markdown-to-jsx, raw HTML off)', () => {
  test('underscores inside words stay literal', () => {
    const root = rendered('Switch full_search → eval_only for the second run');
    expect(root.textContent).toBe('Switch full_search → eval_only for the second run');
    expect(root.querySelector('em')).toBeNull();
  });

  test('bold with nested emphasis renders as strong containing em', () => {
    const root = rendered('**bold *nested***');
    const strong = root.querySelector('strong');
    expect(strong?.textContent).toBe('bold nested');
    expect(strong?.querySelector('em')?.textContent).toBe('nested');
    expect(root.textContent).toBe('bold nested');
  });

  test('a javascript: link renders its text only: no anchor, no stray bracket', () => {
    const root = rendered('Click [x](javascript:alert(1)) now');
    expect(root.querySelector('a')).toBeNull();
    expect(root.textContent).toBe('Click x now');
  });

  test('only http, https and mailto become links, each opening safely', () => {
    const root = rendered(
      '[site](https://example.org/a) [plain](http://example.org) [mail](mailto:me@example.org) [data](data:text/html,hi) [rel](/project/1)',
    );
    const links = Array.from(root.querySelectorAll('a'));
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://example.org/a',
      'http://example.org',
      'mailto:me@example.org',
    ]);
    for (const link of links) {
      expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      expect(link).toHaveAttribute('target', '_blank');
    }
    expect(root.textContent).toContain('data');
    expect(root.textContent).toContain('rel');
  });

  test('raw HTML is shown as text, never as markup', () => {
    const root = rendered('<img src=x onerror="alert(1)"> and <script>alert(2)</script> <b>bold?</b>');
    expect(root.querySelector('img, script, b')).toBeNull();
    expect(root.textContent).toContain('<b>bold?</b>');
  });

  test('images are not fetched: their alt text stands in', () => {
    const root = rendered('![a chart](https://example.org/chart.png)');
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toBe('[a chart]');
  });

  test('lists, code and headings render as elements, headings below the chat title', () => {
    const out = html('# Title\n\n- one\n- two `code`\n\n```\nblock\n```');
    expect(out).toContain('<h3');
    expect(out).toMatch(/<ul>\s*<li>one<\/li>/);
    expect(out).toContain('<code>code</code>');
    expect(out).toMatch(/<pre><code[^>]*>block/);
  });

  test('the lazy Markdown shows the plain text first, then the rendered message', async () => {
    render(<Markdown source={'**loaded** text'} />);
    expect((await screen.findByText('loaded')).tagName).toBe('STRONG');
  });
});

describe('typed line breaks (user messages)', () => {
  function typed(source: string) {
    return render(<MarkdownRenderer source={source} keepLineBreaks />).container.querySelector('.markdown')!;
  }

  test('each typed line stays on its own line, in one paragraph', () => {
    const root = typed('rate LiPo: Thermal safety 0.4\nrate LFP: Thermal safety 0.9\nweight Flight range 80');
    expect(root.querySelectorAll('p')).toHaveLength(1);
    expect(root.querySelectorAll('br')).toHaveLength(2);
    expect(
      root
        .querySelector('p')!
        .innerHTML.split('<br>')
        .map((part) => part.trim()),
    ).toEqual(['rate LiPo: Thermal safety 0.4', 'rate LFP: Thermal safety 0.9', 'weight Flight range 80']);
  });

  test('without the option, plain Markdown joins the lines (the Architect and models write Markdown)', () => {
    const root = rendered('line one\nline two');
    expect(root.querySelectorAll('br')).toHaveLength(0);
  });

  test('blank lines still make paragraphs, lists stay lists, fenced code keeps its lines without added spaces', () => {
    const root = typed('First\nsecond\n\n- a\n- b\n\n```\nx = 1\ny = 2\n```');
    expect(root.querySelectorAll('p')).toHaveLength(1);
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelector('code')!.textContent).toBe('x = 1\ny = 2');
  });
});
