import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, detailText, onUnauthorized, request, setToken } from './client';
import { streamChat } from './chat';

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('API client', () => {
  it('sends the stored bearer token and JSON bodies', async () => {
    const fetchMock = vi.fn(async () => new Response('{"ok":true}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    setToken('tok');
    await request('/api/x', { method: 'PATCH', body: { title: 'a' } });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/x');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
    expect(init.body).toBe('{"title":"a"}');
  });

  it('turns error answers into ApiError with the detail and notifies 401 listeners', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"detail":"Not authenticated"}', { status: 401 })));
    const seen = vi.fn();
    const off = onUnauthorized(seen);
    await expect(request('/api/x')).rejects.toMatchObject({ status: 401, detail: 'Not authenticated' });
    expect(seen).toHaveBeenCalledOnce();
    off();
  });

  it('formats validation details', () => {
    expect(detailText([{ loc: ['body', 'title'], msg: 'too long' }], 'x')).toBe('title: too long');
    expect(new ApiError(409, 'busy')).toBeInstanceOf(Error);
  });

  it('streams typed chat events and throws before-stream errors', async () => {
    const sse = 'id: 1\nevent: session\ndata: {"session_id":"s","turn_id":"t","new_session":true,"user_messages":[]}\n\n'
      + 'id: 2\nevent: message\ndata: [DONE]\n\n';
    vi.stubGlobal('fetch', vi.fn(async () => new Response(sse, { status: 200 })));
    const types = [];
    for await (const e of streamChat({ messages: [{ role: 'user', content: 'hi' }] })) types.push(e.type);
    expect(types).toEqual(['session', 'done']);
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"detail":"A turn is already running"}', { status: 409 })));
    const gen = streamChat({ messages: [{ role: 'user', content: 'hi' }] });
    await expect(gen.next()).rejects.toMatchObject({ status: 409 });
  });
});

describe('token prompt trigger', () => {
  it('ignores a 401 for a request sent with an older token', async () => {
    let release: (r: Response) => void = () => undefined;
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((r) => (release = r))));
    const seen = vi.fn();
    const off = onUnauthorized(seen);
    const pending = request('/api/x').catch(() => undefined);
    setToken('new-token'); // the user answered the prompt while the old request was in flight
    release(new Response('{"detail":"Not authenticated"}', { status: 401 }));
    await pending;
    expect(seen).not.toHaveBeenCalled();
    off();
  });
});
