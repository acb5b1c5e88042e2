// Synchronous cross-chain calls: SyncCaller on chain A calls RemoteCounter on chain B through the
// CrossChainCall predeploy and gets the result in the same transaction. A read brings B's value
// to A; a write changes both chains; a call that fails on B reverts the transaction and leaves
// both chains exactly as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploy, describeError, rejection } from '../lib/node.mjs';
import { clusterChains, wallet } from '../lib/cluster.mjs';

const chains = await clusterChains();
const [A, B] = chains;
const onA = wallet(A, 6);
const onB = wallet(B, 6);
const counter = await deploy('RemoteCounter', onB);
const counterAddress = await counter.getAddress();
const caller = await deploy('SyncCaller', onA);
const callerAddress = await caller.getAddress();

async function snapshot() {
  return {
    value: await counter.value(),
    lastCaller: await counter.lastCaller(),
    lastSourceChainId: await counter.lastSourceChainId(),
    mirrored: await caller.mirrored(),
    localWrites: await caller.localWrites(),
    counterStorage: await B.provider.getStorage(counterAddress, 0),
  };
}

test('readRemote: a transaction on A reads a value on B and writes it on A', async () => {
  await (await counter.increment(5n)).wait(); // a plain transaction on B
  assert.equal(await counter.value(), 5n);

  // eth_call on A simulates the cross-chain read too.
  assert.equal(await caller.readRemote.staticCall(B.chainId, counterAddress), 5n);

  const receipt = await (await caller.readRemote(B.chainId, counterAddress)).wait();
  assert.equal(receipt.status, 1);
  assert.equal(await caller.mirrored(), 5n, 'the value read on B is stored on A');
  assert.equal(await counter.value(), 5n, 'a read leaves B unchanged');
});

test('incrementRemote: one transaction on A writes on B and on A', async () => {
  const bHead = await B.provider.getBlockNumber();
  const receipt = await (await caller.incrementRemote(B.chainId, counterAddress, 3n)).wait();
  assert.equal(receipt.status, 1);
  assert.equal(await counter.value(), 8n);
  assert.equal(await counter.lastCaller(), callerAddress, 'B saw the origin contract as the caller');
  assert.equal(await counter.lastSourceChainId(), A.chainId);
  assert.equal(await caller.mirrored(), 8n, 'A got the result in the same transaction');
  assert.equal(await caller.localWrites(), 1n);
  // B recorded the inbound call in a new block (its cluster section, committed in extraData).
  const head = await B.provider.getBlock('latest');
  assert.ok(head.number > bHead, 'B sealed a block for the inbound call');
  assert.notEqual(head.extraData, '0x');
  // The event B's counter emitted during the call is visible to eth_getLogs (queryFilter) on B.
  const events = await counter.queryFilter(counter.filters.Incremented(), head.number, head.number);
  assert.equal(events.length, 1, 'one Incremented event in the block that recorded the call');
  assert.equal(events[0].args.caller, callerAddress);
  assert.equal(events[0].args.sourceChainId, A.chainId);
  assert.equal(events[0].args.newValue, 8n);
});

test('a call that fails on B reverts the transaction; ethers decodes the reason; neither chain changes', async () => {
  const before = await snapshot();

  // Sent without a gas limit, ethers' estimate fails with the destination's revert reason.
  const estimated = await rejection(() => caller.incrementRemoteExpectRevert(B.chainId, counterAddress, 1n));
  assert.equal(estimated.code, 'CALL_EXCEPTION', describeError(estimated));
  assert.equal(estimated.reason, 'RemoteCounter: refused', describeError(estimated));

  // With a gas limit the transaction is mined and fails.
  const tx = await caller.incrementRemoteExpectRevert(B.chainId, counterAddress, 1n, { gasLimit: 1_000_000 });
  const mined = await rejection(() => tx.wait());
  assert.equal(mined.code, 'CALL_EXCEPTION', describeError(mined));
  assert.equal(mined.receipt.status, 0);

  assert.deepEqual(await snapshot(), before, 'counter on B and localWrites on A unchanged');
});

test('incrementRemoteTolerant: B refuses, A keeps its own write, B unchanged', async () => {
  const before = await snapshot();
  assert.equal(await caller.incrementRemoteTolerant.staticCall(B.chainId, counterAddress, 1n), false);
  const receipt = await (await caller.incrementRemoteTolerant(B.chainId, counterAddress, 1n)).wait();
  assert.equal(receipt.status, 1);
  const after = await snapshot();
  assert.equal(after.value, before.value);
  assert.equal(after.counterStorage, before.counterStorage);
  assert.equal(after.localWrites, before.localWrites + 1n);
});

test('a call to the same chain or an unknown chain is refused, not executed', async () => {
  const sameChain = await rejection(() => caller.readRemote(A.chainId, counterAddress));
  assert.equal(sameChain.code, 'CALL_EXCEPTION', describeError(sameChain));
  const unknown = await rejection(() => caller.readRemote(999_999n, counterAddress));
  assert.equal(unknown.code, 'CALL_EXCEPTION', describeError(unknown));
  assert.equal(await counter.value(), 8n);
});
