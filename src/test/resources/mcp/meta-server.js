// Minimal stdio MCP server for the trace tests: its one tool answers with the _meta object of the tools/call
// request it received (JSON, or "null"), so a test can see the trace context the service sent.
// Only JSON-RPC lines go to stdout; diagnostics go to stderr.
const readline = require('readline');
const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
const tools = [
  { name: 'echo_meta', description: 'Returns the _meta of this request as JSON', inputSchema: { type: 'object', properties: {} } },
];
console.error('meta-server started');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  const msg = JSON.parse(line);
  switch (msg.method) {
    case 'initialize':
      send({ jsonrpc: '2.0', id: msg.id, result: {
        protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} },
        serverInfo: { name: 'meta-server', version: '1.0.0' } } });
      break;
    case 'tools/list':
      send({ jsonrpc: '2.0', id: msg.id, result: { tools } });
      break;
    case 'ping':
      send({ jsonrpc: '2.0', id: msg.id, result: {} });
      break;
    case 'tools/call':
      if (msg.params.name === 'echo_meta') {
        const meta = msg.params._meta === undefined ? null : msg.params._meta;
        send({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: JSON.stringify(meta) }] } });
      } else {
        send({ jsonrpc: '2.0', id: msg.id, error: { code: -32602, message: 'Unknown tool: ' + msg.params.name } });
      }
      break;
    default:
      if (msg.id !== undefined) send({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
  }
});
process.stdin.on('end', () => process.exit(0));
