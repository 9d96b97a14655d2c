import { describe, expect, it } from 'vitest';
import { entryKeyForMessage, hitLabel, moveSelection, snippetSegments } from './snippet';

describe('snippetSegments', () => {
  it('splits marks and unescapes the server escaping into plain text', () => {
    expect(snippetSegments('a &lt;b&gt; <mark>tea</mark> &amp; <mark>cake</mark>&quot;&#39;')).toEqual([
      { text: 'a <b> ', mark: false },
      { text: 'tea', mark: true },
      { text: ' & ', mark: false },
      { text: 'cake', mark: true },
      { text: `"'`, mark: false },
    ]);
  });

  it('never yields markup other than marks, even from unescaped input', () => {
    const segments = snippetSegments('<img src=x onerror=alert(1)><mark>hit</mark>');
    expect(segments[0]).toEqual({ text: '<img src=x onerror=alert(1)>', mark: false });
    expect(segments[1]).toEqual({ text: 'hit', mark: true });
  });
});

describe('moveSelection', () => {
  it('wraps around and starts from either end', () => {
    expect(moveSelection(-1, 1, 3)).toBe(0);
    expect(moveSelection(-1, -1, 3)).toBe(2);
    expect(moveSelection(2, 1, 3)).toBe(0);
    expect(moveSelection(0, -1, 3)).toBe(2);
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});

describe('hitLabel', () => {
  it('names the source', () => {
    const base = { session_id: 's', message_id: 1, title: 't', snippet: '', created_at: '', score: 1 };
    expect(hitLabel({ ...base, role: null, source: 'title' })).toBe('Title');
    expect(hitLabel({ ...base, role: 'user', source: 'attachment', attachment: { id: 'a', filename: 'r.pdf' } })).toBe('Attachment r.pdf');
    expect(hitLabel({ ...base, role: 'assistant', source: 'message' })).toBe('Assistant');
    expect(hitLabel({ ...base, role: 'user', source: 'message' })).toBe('You');
  });
});

describe('entryKeyForMessage', () => {
  const entries = [
    { key: 'm1', kind: 'user', messageId: 1 },
    { key: 't1', kind: 'assistant', hops: [{ messageId: 2 }, { messageId: 4 }] },
    { key: 'm6', kind: 'user', messageId: 6 },
    { key: 't2', kind: 'assistant', hops: [{ messageId: 7 }] },
  ];
  it('finds user messages and assistant hops', () => {
    expect(entryKeyForMessage(entries, 1)).toBe('m1');
    expect(entryKeyForMessage(entries, 4)).toBe('t1');
    expect(entryKeyForMessage(entries, 7)).toBe('t2');
  });
  it('maps a tool result to the turn before it', () => {
    expect(entryKeyForMessage(entries, 3)).toBe('t1');
    expect(entryKeyForMessage(entries, 5)).toBe('t1');
  });
  it('knows nothing before the first entry', () => {
    expect(entryKeyForMessage(entries, 0)).toBeNull();
  });
});
