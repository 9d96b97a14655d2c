/**
 * Incremental parser for `text/event-stream` following the WHATWG "interpret an event stream" rules: LF, CRLF and
 * CR line endings (a CRLF may be split across chunks), a leading BOM, comments, `data`/`event`/`id`/`retry`
 * fields, one optional space after the colon, and no dispatch for events without data.
 */
export interface SseEvent {
  /** Event type; `message` when the stream did not name one. */
  name: string;
  data: string;
  /** Last event id in effect at dispatch ('' when none or cleared). */
  id: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private hasData = false;
  private eventType = '';
  private lastEventId = '';
  private started = false;
  private pendingCr = false;
  /** Last `retry:` value in ms, if any. */
  retry: number | undefined;

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.buffer.slice(start, i);
      if (c === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCr = true; // the LF of a CRLF may arrive in the next chunk
        }
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const name = this.eventType || 'message';
    const hadData = this.hasData;
    const data = this.data.join('\n');
    this.data = [];
    this.hasData = false;
    this.eventType = '';
    if (!hadData) return undefined;
    return { name, data, id: this.lastEventId };
  }
}

/**
 * Parses a stream of bytes into events, decoding UTF-8 across chunk boundaries. `onBytes` is called for every chunk
 * read, comments included: the service writes a comment at least every ~375 ms on a quiet stream (docs/api.md §3.1),
 * so a reader can tell a live connection from a dead one.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
  onBytes?: () => void,
): AsyncGenerator<SseEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { done, value } = await reader.read();
      if (!done) onBytes?.();
      if (done) {
        yield* parser.push(decoder.decode());
        return;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}
