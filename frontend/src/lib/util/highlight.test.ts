import { describe, expect, it } from 'vitest';
import { highlightWithin } from './highlight';
import { renderMarkdown } from './markdown';

describe('lazy syntax highlighting', () => {
  it('highlights code blocks with a known language, keeps the text and escapes markup', () => {
    const root = document.createElement('div');
    root.innerHTML = renderMarkdown('```js\nconst a = "<b>x</b>"; // hi\n```\n\n```\nplain\n```\n\n```nosuchlang\nx\n```');
    expect(highlightWithin(root)).toBe(1);
    const code = root.querySelector('code.language-js')!;
    expect(code.querySelector('.hljs-keyword')?.textContent).toBe('const');
    expect(code.querySelector('.hljs-string')?.textContent).toBe('"<b>x</b>"');
    expect(code.querySelector('b')).toBeNull();
    expect(code.textContent).toBe('const a = "<b>x</b>"; // hi');
    expect(highlightWithin(root)).toBe(0); // idempotent
  });
});
