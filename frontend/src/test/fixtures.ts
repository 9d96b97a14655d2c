import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The SSE fixtures shared with the Java tests (src/test/resources/fixtures/sse). */
// vitest runs from frontend/.
const dir = resolve(process.cwd(), '../src/test/resources/fixtures/sse') + '/';

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(dir + name + '.sse'));
}

export interface ExpectedEvent {
  name: string;
  data: string;
  id: string | null;
}

export function fixtureExpected(name: string): ExpectedEvent[] {
  return JSON.parse(readFileSync(dir + name + '.expected.json', 'utf-8')) as ExpectedEvent[];
}

/** A body stream handing out `bytes` in pieces of `size` bytes. */
export function streamOf(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** Re-encodes an LF fixture with other line endings. */
export function withEndings(bytes: Uint8Array, ending: string): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  return new TextEncoder().encode(text.replace(/\n/g, ending));
}
