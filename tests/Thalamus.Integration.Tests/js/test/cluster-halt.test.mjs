// Liveness dependency (the devnet runs with --delta 1s): cluster_haltChain stops chain B at T; the
// other chains may go on until T + Delta and then hold, because B could still owe them messages.
// cluster_status says which chains are halted and held, and why; cluster_resumeChain lets
// everything catch up without losing the transactions or the message that waited.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseEther } from 'ethers';
import { deploy, receiptWithin } from '../lib/node.mjs';
import { clusterChains, clusterStatus, messageWhen, messenger, sentMessageIds, sleep, wallet } from '../lib/cluster.mjs';

const chains = await clusterChains();
const [A, B, C] = chains;
const hex = (n) => '0x' + n.toString(16);
const onA = wallet(A, 7);
const receiver = await deploy('MessageReceiver', wallet(B, 7));
const receiverAddress = await receiver.getAddress();
const status = await clusterStatus(A);
const deltaMs = status.deltaMs;

let halted = false;
after(async () => {
  // Never leave the shared devnet halted, whatever failed.
  if (halted) await A.provider.send('cluster_resumeChain', [hex(B.chainId)]);
});

const chainStatus = (s, chain) => s.chains.find((c) => BigInt(c.chainId) === chain.chainId);

test('the devnet is live before the halt, with Delta of one second', async () => {
  assert.equal(deltaMs, 1000);
  assert.equal(status.live, true, JSON.stringify(status));
  assert.equal(status.reason, null);
});

test('halting B holds A and C after Delta; resuming B mines what waited and relays the message', async () => {
  const receivedBefore = await receiver.count();
  const bHeadBefore = await B.provider.getBlockNumber();

  const haltStatus = await A.provider.send('cluster_haltChain', [hex(B.chainId)]);
  halted = true;
  assert.equal(chainStatus(haltStatus, B).halted, true, JSON.stringify(haltStatus));
  assert.equal(haltStatus.live, false);

  // A message to B sent now: A may still seal it (within Delta), but B cannot receive it.
  const data = receiver.interface.encodeFunctionData('receiveMessage', ['while B was halted']);
  let nonce = await A.provider.getTransactionCount(onA.address, 'latest');
  const sendTx = await messenger(onA).sendMessage(B.chainId, receiverAddress, data, { nonce: nonce++, gasLimit: 300_000 });

  // After more than Delta, A is held: a transaction sent to it now is not mined.
  await sleep(deltaMs + 500);
  const heldTx = await onA.sendTransaction({ to: wallet(A, 8).address, value: parseEther('1'), nonce: nonce++, gasLimit: 21_000 });
  assert.equal(await receiptWithin(A.provider, heldTx.hash, 1500), null, 'A must not mine past T + Delta while B is halted');
  assert.equal(await B.provider.getBlockNumber(), bHeadBefore, 'B did not advance while halted');

  const held = await clusterStatus(C);
  assert.equal(held.live, false, JSON.stringify(held));
  assert.match(held.reason, new RegExp(`chain ${B.chainId} halted`), held.reason);
  assert.equal(chainStatus(held, B).halted, true);
  assert.equal(typeof chainStatus(held, B).haltedAtMs, 'number');
  for (const chain of [A, C]) {
    const s = chainStatus(held, chain);
    assert.equal(s.halted, false);
    assert.equal(s.held, true, `chain ${chain.chainId} held: ${JSON.stringify(s)}`);
    assert.deepEqual(s.heldBy.map(BigInt), [B.chainId]);
  }
  assert.equal(await receiver.count(), receivedBefore, 'nothing delivered to a halted chain');

  // Resume: everything catches up.
  const resumed = await A.provider.send('cluster_resumeChain', [hex(B.chainId)]);
  halted = false;
  assert.equal(chainStatus(resumed, B).halted, false);

  const heldReceipt = await receiptWithin(A.provider, heldTx.hash, 10_000);
  assert.notEqual(heldReceipt, null, 'the held transaction is mined after the resume');
  assert.equal(heldReceipt.status, 1);
  const sendReceipt = await receiptWithin(A.provider, sendTx.hash, 10_000);
  assert.notEqual(sendReceipt, null);
  assert.equal(sendReceipt.status, 1);
  const [id] = sentMessageIds(sendReceipt);
  const message = await messageWhen(A, id, 'relayed');
  assert.ok(BigInt(message.deliveredBlockNumber) > BigInt(bHeadBefore));
  assert.equal(await receiver.count(), receivedBefore + 1n);
  assert.equal(await receiver.lastText(), 'while B was halted');

  const live = await clusterStatus(B);
  assert.equal(live.live, true, JSON.stringify(live));
  assert.ok(live.chains.every((c) => !c.halted && !c.held));
});

test('after the resume every chain mines at once again', async () => {
  for (const chain of [A, B, C]) {
    const w = wallet(chain, 8);
    const receipt = await (await w.sendTransaction({ to: wallet(chain, 9).address, value: 1n })).wait();
    assert.equal(receipt.status, 1);
  }
});
