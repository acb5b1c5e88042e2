// Live events over WebSocket: contract.on (eth_subscribe "logs"), new blocks ("newHeads"),
// raw subscribe/unsubscribe, pending transactions.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Contract, parseUnits } from 'ethers';
import { artifact, deploy, devWallet, httpProvider, waitUntil, within, wsProvider } from '../lib/node.mjs';

const http = httpProvider();
const ws = wsProvider();
after(async () => { await ws.destroy(); });

const owner = devWallet(1, http);
const receiver = devWallet(2, http);
const token = await deploy('TestToken', owner, parseUnits('1000', 18));
const tokenOverWs = new Contract(await token.getAddress(), artifact('TestToken').abi, ws);

test('the WebSocket endpoint answers plain requests', async () => {
  assert.equal(await ws.getBlockNumber(), await http.getBlockNumber());
  assert.equal((await ws.getNetwork()).chainId, (await http.getNetwork()).chainId);
});

test('contract.on delivers a Transfer event through a logs subscription', async () => {
  const received = within(10_000, 'Transfer event over WebSocket', async (resolve) => {
    await tokenOverWs.on('Transfer', (from, to, value, payload) => resolve({ from, to, value, log: payload.log }));
  });
  // Give the subscription a moment to be registered before the transfer is mined.
  await new Promise((r) => setTimeout(r, 200));
  const tx = await token.transfer(receiver.address, 123n);
  const receipt = await tx.wait();
  const event = await received;
  await tokenOverWs.removeAllListeners('Transfer');

  assert.equal(event.from, owner.address);
  assert.equal(event.to, receiver.address);
  assert.equal(event.value, 123n);
  assert.equal(event.log.transactionHash, tx.hash);
  assert.equal(event.log.blockNumber, receipt.blockNumber);
});

test('a filtered subscription gets only matching events', async () => {
  const seen = [];
  const filter = tokenOverWs.filters.Transfer(null, owner.address);
  // With a filter (not an event name) ethers passes only the payload, whose args are decoded.
  await tokenOverWs.on(filter, (...params) => seen.push(params.at(-1).args.value));
  await new Promise((r) => setTimeout(r, 200));
  await (await token.transfer(receiver.address, 1n)).wait(); // not to owner: filtered out
  await (await token.connect(receiver).transfer(owner.address, 7n)).wait(); // matches
  await waitUntil(() => seen.length > 0, 10_000, 'filtered Transfer event');
  await new Promise((r) => setTimeout(r, 300));
  await tokenOverWs.removeAllListeners(filter);
  assert.deepEqual(seen, [7n]);
});

test('newHeads through provider.on("block")', async () => {
  const start = await http.getBlockNumber();
  const block = within(10_000, 'block event over WebSocket', async (resolve) => {
    await ws.on('block', (number) => { if (number > start) resolve(number); });
  });
  await new Promise((r) => setTimeout(r, 200));
  await http.send('evm_mine', []);
  assert.equal(await block, start + 1);
  await ws.removeAllListeners('block');
});

test('newPendingTransactions delivers the hash of a sent transaction', async () => {
  const id = await ws.send('eth_subscribe', ['newPendingTransactions']);
  const seen = [];
  const listener = (message) => {
    const parsed = JSON.parse(String(message.data));
    if (parsed.method === 'eth_subscription' && parsed.params?.subscription === id) seen.push(parsed.params.result);
  };
  ws.websocket.addEventListener('message', listener);
  try {
    const tx = await owner.sendTransaction({ to: receiver.address, value: 1n });
    await tx.wait();
    await waitUntil(() => seen.includes(tx.hash), 10_000, 'pending transaction notification');
  } finally {
    ws.websocket.removeEventListener('message', listener);
    await ws.send('eth_unsubscribe', [id]);
  }
});

test('raw eth_subscribe / eth_unsubscribe', async () => {
  const id = await ws.send('eth_subscribe', ['newHeads']);
  assert.match(id, /^0x[0-9a-f]+$/);
  assert.equal(await ws.send('eth_unsubscribe', [id]), true);
  assert.equal(await ws.send('eth_unsubscribe', [id]), false, 'a second unsubscribe finds nothing');
});

test('the event is also in eth_getLogs afterwards, with the same identity', async () => {
  const logs = await token.queryFilter(token.filters.Transfer(owner.address, receiver.address));
  assert.ok(logs.length >= 2);
  for (const log of logs) {
    const receipt = await http.getTransactionReceipt(log.transactionHash);
    assert.ok(receipt.logs.some((l) => l.index === log.index && l.blockHash === log.blockHash));
  }
});
