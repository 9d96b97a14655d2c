/**
 * Typesets the `.math` placeholders of rendered markdown with KaTeX (issue 18). Loaded with a dynamic import by
 * Markdown.svelte only when a reply contains math, so KaTeX and its stylesheet and fonts stay out of the first load.
 * KaTeX runs with `trust: false` (no \href, \url or HTML extensions) and reports bad input in place; its MathML
 * output is what screen readers read.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';

export function renderMath(root: ParentNode): number {
  let count = 0;
  for (const el of root.querySelectorAll<HTMLElement>('.math[data-math]:not([data-rendered])')) {
    const source = el.textContent ?? '';
    katex.render(source, el, { displayMode: el.dataset['math'] === 'display', throwOnError: false, trust: false, output: 'htmlAndMathml' });
    el.dataset['rendered'] = 'yes';
    count++;
  }
  return count;
}
