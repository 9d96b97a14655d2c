/**
 * Markdown to safe HTML (SPEC §14.3): raw HTML in the source is shown as text, the output is sanitised by
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

const marked = new Marked({
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
