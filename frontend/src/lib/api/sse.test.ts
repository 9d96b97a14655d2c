import { describe, expect, it } from 'vitest';
import { readSse, SseParser } from './sse';
import { fixtureBytes, fixtureExpected, streamOf, withEndings } from '../../test/fixtures';

async function collect(body: ReadableStream<Uint8Array>) {
  const out = [];
  for await (const e of readSse(body)) out.push({ name: e.name, data: e.data, id: e.id === '' ? null : e.id });
  return out;
}

describe('SSE parser against the fixtures shared with the backend', () => {
  for (const fixture of ['tool-round', 'edge-cases']) {
    for (const [label, ending] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
      it(`${fixture} with ${label} endings gives the same events for every chunk size`, async () => {
        const bytes = withEndings(fixtureBytes(fixture), ending);
        const expected = fixtureExpected(fixture);
        for (const size of [1, 2, 3, 5, 7, 64, bytes.length]) {
          expect(await collect(streamOf(bytes, size)), `${size}-byte chunks`).toEqual(expected);
        }
      });
    }
  }

  it('splits a multi-byte character across chunks without corrupting it', async () => {
    const bytes = new TextEncoder().encode('data: 😀 é\n\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      const parts = [bytes.slice(0, cut), bytes.slice(cut)];
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          parts.forEach((p) => c.enqueue(p));
          c.close();
        },
      });
      expect((await collect(body))[0]?.data).toBe('😀 é');
    }
  });
});

describe('SseParser', () => {
  it('treats a CR at the end of one chunk and an LF at the start of the next as one line break', () => {
    const p = new SseParser();
    expect(p.push('data: a\r')).toEqual([]);
    expect(p.push('\n\r')).toEqual([{ name: 'message', data: 'a', id: '' }]);
    expect(p.push('\ndata: b\n\n')).toEqual([{ name: 'message', data: 'b', id: '' }]);
  });

  it('does not dispatch an event without data, and resets the event name after it', () => {
    const p = new SseParser();
    expect(p.push('event: lonely\n\ndata: x\n\n')).toEqual([{ name: 'message', data: 'x', id: '' }]);
  });

  it('keeps an unterminated event pending, ignores ids with NUL, and reads retry', () => {
    const p = new SseParser();
    expect(p.push('id: 1\ndata: partial')).toEqual([]);
    expect(p.push('\nid: bad\0id\nretry: 250\nretry: soon\n\n')).toEqual([{ name: 'message', data: 'partial', id: '1' }]);
    expect(p.retry).toBe(250);
  });

  it('stops reading when aborted', async () => {
    const controller = new AbortController();
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        c.enqueue(new TextEncoder().encode(`data: ${pulls}\n\n`));
      },
    });
    const seen: string[] = [];
    for await (const e of readSse(body, controller.signal)) {
      seen.push(e.data);
      if (seen.length === 3) controller.abort();
    }
    expect(seen).toEqual(['1', '2', '3']);
  });
});
