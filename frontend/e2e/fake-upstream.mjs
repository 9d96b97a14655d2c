// A loopback fake of OpenRouter's chat completions API for the browser tests. It speaks the real streaming wire
// format (`data: {chunk}` lines, a final usage chunk with cost, `data: [DONE]`) and picks a script by the last
// user message: "elicit" → a call to server-everything's trigger-elicitation-request, "calculator" → a tool call (with reasoning first when the text says "think"), "fail" → HTTP 500,
// "slow" → a long slow reply, "paced NxMS" → N numbered words one every MS ms, "long" → unbroken long strings,
// "math" → TeX, else a short reply.
import http from 'node:http';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function chunk(id, delta, finish = null, extra = {}) {
  return { id, object: 'chat.completion.chunk', created: 1761062991, model: 'fake/model-1',
    choices: [{ index: 0, delta, finish_reason: finish }], ...extra };
}

function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.filter((p) => p.type === 'text').map((p) => p.text).join(' ');
  return '';
}

/** The upstream's /models list in OpenRouter's raw shape; the service enriches it (SPEC §5.2). */
const CATALOGUE = [
  { id: 'fake/model-1', name: 'Fake Text', created: 100, context_length: 8192, supported_parameters: ['temperature', 'tools'],
    architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] }, pricing: { prompt: '0.000001', completion: '0.000002' } },
  { id: 'fake/vision-1', name: 'Fake Vision', created: 200, context_length: 32768, supported_parameters: ['temperature', 'tools'],
    architecture: { input_modalities: ['image', 'text'], output_modalities: ['text'] }, pricing: { prompt: '0.000003', completion: '0.000004' } },
  { id: 'other/files-1', name: 'Other Files', created: 300, context_length: 128000, supported_parameters: ['tools', 'reasoning'],
    architecture: { input_modalities: ['file', 'image', 'text'], output_modalities: ['text'] }, pricing: { prompt: '0.000005', completion: '0.00001' } },
];

export function startFakeUpstream() {
  const stats = { requests: 0, cancelled: 0, lastBody: null, grants: 0 };
  const generationLookups = new Map();
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    if (req.method === 'GET' && req.url.endsWith('/models')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ data: CATALOGUE }));
      return;
    }
    if (req.method === 'POST' && req.url.endsWith('/v1/auth/grant')) {
      // Deepgram's grant endpoint (DEEPGRAM_BASE_URL points here): a JWT-shaped short-lived token.
      stats.grants++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'fake.deepgram.jwt', expires_in: 30 }));
      return;
    }
    if (req.method === 'GET' && req.url.includes('/generation?')) {
      // Like OpenRouter, statistics appear a moment after the generation: the first request for an id is a 404.
      const id = new URL(req.url, 'http://x').searchParams.get('id');
      const seen = generationLookups.get(id) ?? 0;
      generationLookups.set(id, seen + 1);
      res.writeHead(seen === 0 ? 404 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(seen === 0 ? { error: { message: 'Generation not found', code: 404 } }
        : { data: { id, total_cost: 0.00042, model: 'fake/model-1', provider_name: 'FakeProvider', tokens_prompt: 100,
          tokens_completion: 20, latency: 120, generation_time: 300, finish_reason: 'stop' } }));
      return;
    }
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"error":{"message":"not found","code":404}}');
      return;
    }
    stats.requests++;
    const body = JSON.parse(raw || '{}');
    stats.lastBody = body;
    const messages = body.messages ?? [];
    const last = messages[messages.length - 1] ?? {};
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const said = textOf(lastUser?.content);
    const gen = `gen-${stats.requests}`;

    if (/\bfail\b/i.test(said) && last.role === 'user') {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'The fake upstream failed on purpose', code: 500 } }));
      return;
    }
    let closed = false;
    res.on('close', () => {
      if (!res.writableEnded) {
        closed = true;
        stats.cancelled++;
      }
    });
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (obj) => !closed && res.write(`data: ${JSON.stringify(obj)}\n\n`);
    const finish = (reason, completion) => {
      send(chunk(gen, {}, reason));
      send({ id: gen, object: 'chat.completion.chunk', model: 'fake/model-1', choices: [],
        usage: { prompt_tokens: 100, completion_tokens: completion, total_tokens: 100 + completion, cost: 0.00042 } });
      if (!closed) res.end('data: [DONE]\n\n');
    };
    res.write(': OPENROUTER PROCESSING\n\n');

    if (/calculator/i.test(said) && last.role === 'user') {
      const tool = (body.tools ?? []).map((t) => t.function?.name).find((n) => /calculator/i.test(n ?? '')) ?? 'calculator_evaluate';
      if (/\bthink\b/i.test(said)) {
        send(chunk(gen, { role: 'assistant', content: null, reasoning: 'The user wants a product; ' }));
        send(chunk(gen, { reasoning: 'the calculator can multiply.' }));
      }
      send(chunk(gen, { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_calc_1', type: 'function',
        function: { name: tool, arguments: '' } }] }));
      await sleep(20);
      send(chunk(gen, { tool_calls: [{ index: 0, function: { arguments: '{"operation":"multiply",' } }] }));
      send(chunk(gen, { tool_calls: [{ index: 0, function: { arguments: '"a":6,"b":7}' } }] }));
      finish('tool_calls', 12);
      return;
    }
    if (/\belicit\b/i.test(said) && last.role === 'user') {
      // approvals.e2e.mjs: a call to server-everything's tool that asks the person for input (MCP elicitation).
      const tool = (body.tools ?? []).map((t) => t.function?.name).find((n) => /trigger-elicitation-request$/.test(n ?? ''))
        ?? 'trigger-elicitation-request';
      send(chunk(gen, { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_elicit_1', type: 'function',
        function: { name: tool, arguments: '{}' } }] }));
      finish('tool_calls', 5);
      return;
    }
    if (last.role === 'tool') {
      const result = textOf(last.content);
      for (const piece of ['The calculator ', `says ${result.includes('42') ? '42' : result}.`]) {
        send(chunk(gen, { content: piece }));
        await sleep(30);
      }
      finish('stop', 6);
      return;
    }
    const paced = /\bpaced(?: (\d+)x(\d+))?\b/i.exec(said);
    if (paced) {
      // A scripted, paced answer for the resume tests: "paced 60x150" → "p1 p2 … p60", one word every 150 ms. The
      // words are numbered so that a test can tell a gap or a duplicate from the final text.
      const count = Number(paced[1] ?? 60);
      const everyMs = Number(paced[2] ?? 150);
      for (let i = 1; i <= count && !closed; i++) {
        send(chunk(gen, { content: `p${i} ` }));
        await sleep(everyMs);
      }
      finish('stop', count);
      return;
    }
    if (/\bslow\b/i.test(said)) {
      for (let i = 1; i <= 300 && !closed; i++) {
        send(chunk(gen, { content: `word${i} ` }));
        await sleep(100);
      }
      finish('stop', 300);
      return;
    }
    if (/\bmath\b/i.test(said)) {
      for (const piece of ['Euler: $e^{i\\pi} + 1 = 0$, and it costs $5 and $10.\n\n', '$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$\n']) {
        send(chunk(gen, { content: piece }));
        await sleep(20);
      }
      finish('stop', 20);
      return;
    }
    if (/\blong\b/i.test(said)) {
      // Unbroken strings that must wrap inside the bubble, then enough lines to scroll.
      const url = `https://example.com/${'very-long-path-segment-'.repeat(12)}end`;
      const b64 = Buffer.from('x'.repeat(300)).toString('base64');
      const lines = Array.from({ length: 60 }, (_, i) => `Line ${i + 1} of a tall reply.`).join('\n\n');
      for (const piece of [`Here: ${url}\n\n`, `${b64}\n\n`, lines]) {
        send(chunk(gen, { content: piece }));
        await sleep(20);
      }
      finish('stop', 80);
      return;
    }
    send(chunk(gen, { role: 'assistant', content: '', reasoning: 'Thinking about a friendly answer.' }));
    const reply = `Hello! You said: *${said}*.\n\nHere is a list:\n\n- one\n- two\n\n\`\`\`js\nconsole.log("hi");\n\`\`\`\n\nThat is all.`;
    const words = reply.match(/\S+\s*|\s+/g) ?? [reply];
    for (const w of words) {
      send(chunk(gen, { content: w }));
      await sleep(40);
    }
    finish('stop', words.length);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ baseUrl: `http://127.0.0.1:${port}/api/v1`, stats, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) });
    });
  });
}
