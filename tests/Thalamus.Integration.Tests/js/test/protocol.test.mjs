// JSON-RPC protocol errors: malformed JSON, invalid requests, unknown methods, wrong parameter
// types, empty and oversized batches, oversized requests, over HTTP and WebSocket. Each gets a
// JSON-RPC error (the codes geth uses), never a dropped connection, and the node keeps serving.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { RPC_URL, WS_URL } from '../lib/node.mjs';

async function post(body, contentType = 'application/json') {
  const response = await fetch(RPC_URL, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

const call = (method, params = [], id = 1) => JSON.stringify({ jsonrpc: '2.0', id, method, params });

async function stillServing() {
  const { json } = await post(call('eth_chainId'));
  assert.match(json?.result ?? '', /^0x[0-9a-f]+$/, 'the node still answers afterwards');
}

test('malformed JSON: -32700 parse error with a null id', async () => {
  const { json, text } = await post('{"jsonrpc":"2.0","id":1,"method":');
  assert.equal(json?.error?.code, -32700, text);
  assert.equal(json.id, null);
  assert.equal(json.jsonrpc, '2.0');
  await stillServing();
});

test('not a request object: -32600 invalid request', async () => {
  for (const body of ['{"foo":1}', '42', '"eth_chainId"', '{"jsonrpc":"2.0","id":1,"method":5}']) {
    const { json, text } = await post(body);
    assert.equal(json?.error?.code, -32600, `${body} → ${text}`);
  }
  await stillServing();
});

test('unknown method: -32601 with the method named', async () => {
  const { json, text } = await post(call('eth_noSuchMethod', [], 7));
  assert.equal(json?.error?.code, -32601, text);
  assert.equal(json.id, 7);
  assert.match(json.error.message, /eth_noSuchMethod/);
});

test('wrong parameter types: -32602 invalid params', async () => {
  for (const [method, params] of [
    ['eth_getBalance', [123, 'latest']],
    ['eth_getBalance', ['0x1234', 'latest']],
    ['eth_getBlockByNumber', ['latest', 'yes']],
    ['eth_getBlockByNumber', ['0xzz', false]],
    ['eth_getTransactionByHash', ['0x12']],
    ['eth_sendRawTransaction', ['not hex']],
    ['eth_call', ['not an object', 'latest']],
    ['eth_getLogs', [{ fromBlock: 'sometime' }]],
  ]) {
    const { json, text } = await post(call(method, params));
    assert.equal(json?.error?.code, -32602, `${method} ${JSON.stringify(params)} → ${text}`);
  }
  await stillServing();
});

test('batches: one answer per request, ids kept, errors in place', async () => {
  const body = JSON.stringify([
    { jsonrpc: '2.0', id: 'a', method: 'eth_chainId', params: [] },
    { jsonrpc: '2.0', id: 'b', method: 'eth_nope', params: [] },
    { jsonrpc: '2.0', id: 'c', method: 'eth_blockNumber', params: [] },
    { foo: 1 },
  ]);
  const { json, text } = await post(body);
  assert.ok(Array.isArray(json), text);
  assert.equal(json.length, 4);
  const byId = new Map(json.map((r) => [r.id, r]));
  assert.match(byId.get('a').result, /^0x/);
  assert.equal(byId.get('b').error.code, -32601);
  assert.match(byId.get('c').result, /^0x/);
  assert.equal(byId.get(null)?.error?.code, -32600);
});

test('empty batch: -32600', async () => {
  const { json, text } = await post('[]');
  assert.equal(json?.error?.code, -32600, text);
});

test('a batch over the size limit is refused with a JSON-RPC error', async () => {
  const batch = Array.from({ length: 1001 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId', params: [] }));
  const { json, text } = await post(JSON.stringify(batch));
  const error = Array.isArray(json) ? json[0]?.error : json?.error;
  assert.ok(error && typeof error.code === 'number', `expected a JSON-RPC error, got ${text.slice(0, 300)}`);
  await stillServing();
});

test('an oversized request gets a JSON-RPC error, not a dropped connection', async () => {
  const huge = call('eth_call', [{ to: '0x' + '00'.repeat(20), data: '0x' + 'ab'.repeat(6 * 1024 * 1024) }, 'latest']);
  const { status, json, text } = await post(huge);
  assert.ok(json?.error && typeof json.error.code === 'number', `status ${status}, body ${text.slice(0, 300)}`);
  await stillServing();
});

test('WebSocket: malformed and unknown requests get errors and the connection stays open', async () => {
  const socket = new WebSocket(WS_URL);
  after(() => socket.terminate());
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  const replies = [];
  const waiters = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiters.shift();
    if (waiter) waiter(message); else replies.push(message);
  });
  const next = () => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no WebSocket reply within 5 s')), 5000);
    const take = (m) => { clearTimeout(timer); resolve(m); };
    if (replies.length > 0) take(replies.shift()); else waiters.push(take);
  });

  socket.send('{"jsonrpc":"2.0","id":1,');
  assert.equal((await next()).error?.code, -32700);
  socket.send(call('eth_nothing', [], 2));
  const unknown = await next();
  assert.equal(unknown.error?.code, -32601);
  assert.equal(unknown.id, 2);
  socket.send(call('eth_getBalance', [false, 'latest'], 3));
  assert.equal((await next()).error?.code, -32602);
  socket.send(call('eth_chainId', [], 4));
  const ok = await next();
  assert.equal(ok.id, 4);
  assert.match(ok.result, /^0x/);
  assert.equal(socket.readyState, WebSocket.OPEN);
});
