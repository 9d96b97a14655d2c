// Minimal stdio MCP server for ExternalToolServerTest: reports the environment and working directory it was
// started with, has a tool that never answers (timeouts), and remembers notifications/cancelled it received.
// Only JSON-RPC lines go to stdout; diagnostics go to stderr.
const readline = require('readline');
const cancelled = [];
const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
const text = (id, t) => send({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: t }] } });
const tools = [
  { name: 'print_env', description: 'Returns process.env as JSON', inputSchema: { type: 'object', properties: {} } },
  { name: 'print_cwd', description: 'Returns process.cwd()', inputSchema: { type: 'object', properties: {} } },
  { name: 'hang', description: 'Never answers', inputSchema: { type: 'object', properties: {} } },
  { name: 'cancelled', description: 'Request ids cancelled so far', inputSchema: { type: 'object', properties: {} } },
];
console.error('env-server started');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  const msg = JSON.parse(line);
  switch (msg.method) {
    case 'initialize':
      send({ jsonrpc: '2.0', id: msg.id, result: {
        protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} },
        serverInfo: { name: 'env-server', version: '1.0.0' } } });
      break;
    case 'notifications/cancelled':
      cancelled.push(msg.params.requestId);
      break;
    case 'tools/list':
      send({ jsonrpc: '2.0', id: msg.id, result: { tools } });
      break;
    case 'ping':
      send({ jsonrpc: '2.0', id: msg.id, result: {} });
      break;
    case 'tools/call': {
      const name = msg.params.name;
      if (name === 'print_env') text(msg.id, JSON.stringify(process.env));
      else if (name === 'print_cwd') text(msg.id, process.cwd());
      else if (name === 'cancelled') text(msg.id, JSON.stringify(cancelled));
      else if (name === 'hang') console.error('hanging on request ' + msg.id);
      else send({ jsonrpc: '2.0', id: msg.id, error: { code: -32602, message: 'Unknown tool: ' + name } });
      break;
    }
    default:
      if (msg.id !== undefined) send({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
  }
});
process.stdin.on('end', () => process.exit(0));
