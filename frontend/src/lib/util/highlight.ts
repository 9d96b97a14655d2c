/**
 * Syntax highlighting for rendered code blocks (issue 18). Loaded with a dynamic import by Markdown.svelte only
 * when a reply contains a code block with a language, so highlight.js stays out of the initial JavaScript.
 * Only blocks with a known language are highlighted: auto-detection is slow and often wrong.
 */
import hljs from 'highlight.js/lib/common';

export function highlightWithin(root: ParentNode): number {
  let count = 0;
  for (const code of root.querySelectorAll<HTMLElement>('pre code[class*="language-"]')) {
    if (code.dataset['highlighted']) continue;
    const lang = /language-([\w+-]+)/.exec(code.className)?.[1];
    if (!lang || !hljs.getLanguage(lang)) continue;
    // The text is the escaped source put there by renderMarkdown; highlight.js re-escapes what it wraps.
    const result = hljs.highlight(code.textContent ?? '', { language: lang, ignoreIllegals: true });
    code.innerHTML = result.value;
    code.dataset['highlighted'] = 'yes';
    code.classList.add('hljs');
    count++;
  }
  return count;
}
