import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import { formatCost, messageTime, randomHex, relativeTime } from './format';

describe('markdown rendering', () => {
  it('shows raw HTML as text and strips scripts and event handlers', () => {
    const html = renderMarkdown('Hi <script>alert(1)</script> <img src=x onerror=alert(1)> **bold**');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<strong>bold</strong>');
  });

  it('opens links in a new tab with a safe rel and drops javascript: URLs', () => {
    const html = renderMarkdown('[a](https://example.com) [b](javascript:alert(1))');
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer nofollow ugc"');
    expect(html).not.toContain('javascript:');
  });

  it('renders fenced code with a copy button and escaped content', () => {
    const html = renderMarkdown('```js\nif (a < b) x();\n```');
    expect(html).toContain('data-copy');
    expect(html).toContain('class="language-js"');
    expect(html).toContain('a &lt; b');
  });

  it('copes with an unfinished stream (open fence)', () => {
    expect(renderMarkdown('```py\nprint(1)')).toContain('print(1)');
  });
});

describe('format', () => {
  it('formats costs', () => {
    expect(formatCost(null)).toBe('');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(1.234)).toBe('$1.23');
    expect(formatCost(0.00027)).toBe('$0.00027');
    expect(formatCost(0.000123456)).toBe('$0.00012');
  });

  it('formats relative times', () => {
    const now = Date.parse('2025-10-21T16:00:00Z');
    expect(relativeTime('2025-10-21T15:59:50Z', now)).toBe('just now');
    expect(relativeTime('2025-10-21T15:30:00Z', now)).toBe('30 min ago');
    expect(relativeTime('2025-10-21T10:00:00Z', now)).toBe('6 h ago');
    expect(relativeTime('2025-10-18T16:00:00Z', now)).toBe('3 d ago');
  });

  it('makes hex ids', () => {
    expect(randomHex()).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('message time', () => {
  it('shows only the time today, the weekday this week, else the date', () => {
    const now = new Date(2026, 11, 7, 15, 0).getTime();
    const today = messageTime(new Date(2026, 11, 7, 9, 5).toISOString(), now);
    expect(today).toMatch(/09.05|9.05/);
    expect(today).not.toMatch(/2026/);
    const week = messageTime(new Date(2026, 11, 4, 9, 5).toISOString(), now);
    expect(week.length).toBeGreaterThan(today.length);
    expect(messageTime(new Date(2025, 0, 1, 9, 5).toISOString(), now)).toMatch(/2025/);
    expect(messageTime(undefined, now)).toBe('');
    expect(messageTime('nope', now)).toBe('');
  });
});

describe('math in markdown', () => {
  it('marks display and inline math, and leaves prices, code and escaped dollars alone', () => {
    const html = renderMarkdown('Energy $E=mc^2$ and \\(a+b\\).\n\n$$\n\\int_0^1 x\\,dx\n$$\n\nIt costs $5 and $10. `$x$` stays code.');
    expect(html).toContain('<span class="math" data-math="inline">E=mc^2</span>');
    expect(html).toContain('<span class="math" data-math="inline">a+b</span>');
    expect(html).toContain('<div class="math math-display" data-math="display">\\int_0^1 x\\,dx</div>');
    expect(html).toContain('costs $5 and $10.');
    expect(html).toContain('<code>$x$</code>');
    expect(renderMarkdown('$<img src=x onerror=alert(1)>$')).not.toContain('<img');
  });

  it('typesets the placeholders with KaTeX, lazily importable, without trusting commands', async () => {
    const { renderMath } = await import('./math');
    const root = document.createElement('div');
    root.innerHTML = renderMarkdown('$x^2$ and $$\\href{javascript:alert(1)}{x}$$');
    expect(renderMath(root)).toBe(2);
    expect(root.querySelector('.math .katex')).not.toBeNull();
    expect(root.querySelector('a[href^="javascript"]')).toBeNull();
    expect(renderMath(root)).toBe(0);
  });
});
