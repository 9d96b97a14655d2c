/**
 * Markdown to safe HTML (frontend/README.md): raw HTML in the source is shown as text, the output is sanitised by
 * DOMPurify, links open in a new tab with `rel="noopener noreferrer nofollow ugc"`, and code blocks get a copy
 * button (handled by the component through event delegation on `[data-copy]`).
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Math (issue 18, optional): `$$…$$` and `\[…\]` display, `$…$` and `\(…\)` inline. The source is kept as text in
 * a `.math` element; Markdown.svelte typesets it with KaTeX, loaded on demand. Single-dollar math must not start with
 * a space or a digit, end with a space, hold a backtick or be followed by a digit, so prices like "$5 and $10" stay
 * text (write `\(2x\)` for math that starts with a digit).
 */
const INLINE_MATH = [/^\\\(([\s\S]+?)\\\)/, /^\$\$([^$]+?)\$\$/, /^\$(?![\s$\d])([^$\n`]+?)(?<!\s)\$(?!\d)/];
const BLOCK_MATH = [/^\$\$([\s\S]+?)\$\$[ \t]*(?:\n|$)/, /^\\\[([\s\S]+?)\\\][ \t]*(?:\n|$)/];

function mathHtml(text: string, display: boolean): string {
  const tag = display ? 'div' : 'span';
  return `<${tag} class="math${display ? ' math-display' : ''}" data-math="${display ? 'display' : 'inline'}">${escapeHtml(text)}</${tag}>`;
}

const marked = new Marked({
  extensions: [
    {
      name: 'mathBlock',
      level: 'block',
      start: (src: string) => {
        const i = src.search(/\$\$|\\\[/);
        return i < 0 ? undefined : i;
      },
      tokenizer(src: string) {
        for (const re of BLOCK_MATH) {
          const m = re.exec(src);
          if (m?.[1]?.trim()) return { type: 'mathBlock', raw: m[0], text: m[1].trim() };
        }
        return undefined;
      },
      renderer: (token) => mathHtml(String(token['text']), true),
    },
    {
      name: 'mathInline',
      level: 'inline',
      start: (src: string) => {
        const i = src.search(/\$|\\\(/);
        return i < 0 ? undefined : i;
      },
      tokenizer(src: string) {
        for (const [i, re] of INLINE_MATH.entries()) {
          const m = re.exec(src);
          if (m?.[1]?.trim()) return { type: 'mathInline', raw: m[0], text: m[1].trim(), display: i === 1 };
        }
        return undefined;
      },
      renderer: (token) => mathHtml(String(token['text']), token['display'] === true),
    },
  ],
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    code({ text, lang }) {
      const language = (lang ?? '').trim().split(/\s+/)[0] ?? '';
      const cls = /^[\w+-]+$/.test(language) ? ` class="language-${language}"` : '';
      const label = cls ? `<span class="code-lang">${escapeHtml(language)}</span>` : '';
      return `<div class="code-block"><div class="code-head">${label}<button type="button" class="copy" data-copy aria-label="Copy code">Copy</button></div><pre tabindex="0"><code${cls}>${escapeHtml(text)}</code></pre></div>`;
    },
  },
});

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow ugc');
      }
    });
  }
  return DOMPurify;
}

export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return purifier().sanitize(html, {
    ADD_ATTR: ['target', 'data-copy', 'tabindex'],
    FORBID_TAGS: ['style', 'form', 'input', 'iframe'],
  });
}
