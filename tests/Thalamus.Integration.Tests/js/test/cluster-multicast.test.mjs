// Cross-chain multicast (docs/multicast.md): a channel created on chain A, subscribers on A, B and C
// (PLAIN and CALL); one publish reaches every subscriber exactly once; an unsubscribe takes effect
// for the next publish; an allow-listed channel refuses a stranger; a reverting subscriber is
// recorded while the others receive; receipts (ACKs) are aggregated on A and over multicast_getPublish;
// a publish made on C is forwarded to A and delivered like one made there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Contract, id as keccakText, keccak256, concat, toBeHex, zeroPadValue, AbiCoder } from 'ethers';
import { artifact, deploy, describeError } from '../lib/node.mjs';
import { clusterChains, wallet } from '../lib/cluster.mjs';

const REGISTRY = '0x4200000000000000000000000000000000000040';
const MULTICASTER = '0x4200000000000000000000000000000000000041';
const STORE = keccakText('store(uint256)').slice(0, 10);
const NONE = '0x00000000';
const plain = (payload) => concat(['0x01030000', payload]);
const ackRequested = (payload) => concat(['0x01030001', payload]);
const callMessage = (value) => concat(['0x01040000', AbiCoder.defaultAbiCoder().encode(['uint256'], [value])]);

const chains = await clusterChains();
const [A, B, C] = chains;
const owner = wallet(A, 7);
const registry = (chain, index = 7) => new Contract(REGISTRY, artifact('MulticastRegistry').abi, wallet(chain, index));
const multicaster = (chain, index = 7) => new Contract(MULTICASTER, artifact('Multicaster').abi, wallet(chain, index));

async function until(what, check, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function createChannel(allowListOnly = false, gas = 200000n) {
  const receipt = await (await registry(A).createChannel(allowListOnly, gas, 0n)).wait();
  const log = receipt.logs.find((l) => l.address.toLowerCase() === REGISTRY);
  const channel = log.topics[1];
  // Replicated to B and C by the node.
  await until('channel on B and C', async () => (await registry(B).exists(channel)) && (await registry(C).exists(channel)));
  return channel;
}

async function subscribers(channel) {
  return until('subscription replicated', async () => {
    const counts = await Promise.all(chains.map(async (chain) => (await registry(chain).getChannel(channel)).subscriberCount));
    return counts.every((c) => c === counts[0]) ? counts[0] : null;
  });
}

async function publish(channel, message) {
  const fee = await multicaster(A).quotePublish(channel, (message.length - 2) / 2 - 4);
  const receipt = await (await multicaster(A).publish(channel, message, { value: fee })).wait();
  return receipt.logs.find((l) => l.address.toLowerCase() === MULTICASTER).topics[1];
}

async function completed(idOfPublish) {
  return until('publish complete', async () => {
    const p = await A.provider.send('multicast_getPublish', [idOfPublish]);
    return p !== null && p.status === 'complete' ? p : null;
  });
}

test('one publish on A reaches subscribers on A, B and C exactly once (PLAIN and CALL), and an unsubscribe takes effect next time', async () => {
  const channel = await createChannel();
  const onA = await deploy('MulticastSubscriber', wallet(A, 7));
  const onB = await deploy('MulticastSubscriber', wallet(B, 7));
  const onC = await deploy('MulticastSubscriber', wallet(C, 7));
  await (await registry(A).subscribe(channel, await onA.getAddress(), NONE)).wait();
  await (await registry(B).subscribe(channel, await onB.getAddress(), STORE)).wait();
  await (await registry(C).subscribe(channel, await onC.getAddress(), NONE)).wait();
  assert.equal(await subscribers(channel), 3n);

  const first = await publish(channel, plain('0xcafe'));
  const done = await completed(first);
  assert.equal(BigInt(done.total), 3n);
  assert.equal(BigInt(done.delivered), 3n);
  for (const s of [onA, onB, onC]) assert.equal(await s.received(), 1n);

  const second = await publish(channel, callMessage(42n));
  await completed(second);
  assert.equal(await onB.lastValue(), 42n, 'CALL called store(42) on B');
  for (const s of [onA, onB, onC]) assert.equal(await s.received(), 2n, 'exactly once each');

  await (await registry(C).unsubscribe(channel, await onC.getAddress(), NONE)).wait();
  assert.equal(await subscribers(channel), 2n);
  const third = await publish(channel, plain('0x01'));
  assert.equal(BigInt((await completed(third)).total), 2n);
  assert.equal(await onC.received(), 2n, 'the unsubscribed one got nothing more');
  assert.equal(await onA.received(), 3n);
});

test('an allow-listed channel refuses a stranger with the reason', async () => {
  const channel = await createChannel(true);
  const target = await deploy('MulticastSubscriber', wallet(B, 8));
  await assert.rejects(registry(B, 8).subscribe(channel, await target.getAddress(), NONE), (e) => {
    assert.match(describeError(e), /is not on the channel's allow-list/);
    return true;
  });
  await (await registry(A).setAllowed(channel, [wallet(B, 8).address], true)).wait();
  await until('allow-list replicated', async () => registry(B).allowed(channel, wallet(B, 8).address));
  await (await registry(B, 8).subscribe(channel, await target.getAddress(), NONE)).wait();
  assert.equal(await subscribers(channel), 1n);
});

test('a reverting subscriber is recorded with its reason while the others receive; acks are aggregated on A', async () => {
  const channel = await createChannel();
  const bad = await deploy('MulticastSubscriber', wallet(B, 7));
  await (await bad.setReverting(true)).wait();
  const good = await deploy('MulticastSubscriber', wallet(C, 7));
  await (await good.setAcking(true, NONE)).wait();
  await (await registry(B).subscribe(channel, await bad.getAddress(), NONE)).wait();
  await (await registry(C).subscribe(channel, await good.getAddress(), NONE)).wait();
  assert.equal(await subscribers(channel), 2n);

  const published = await publish(channel, ackRequested('0x02'));
  const done = await until('ack reported', async () => {
    const p = await completed(published);
    return BigInt(p.acks) === 1n ? p : null;
  });
  assert.equal(BigInt(done.delivered), 1n);
  assert.equal(BigInt(done.failed), 1n);
  assert.equal(done.failures.length, 1);
  assert.equal(done.failures[0].reason, 'MulticastSubscriber: told to revert');
  assert.equal(done.failures[0].target.toLowerCase(), (await bad.getAddress()).toLowerCase());
  assert.equal(await good.received(), 1n);
  const onChain = await multicaster(A).getPublish(published);
  assert.deepEqual([onChain.total, onChain.delivered, onChain.failed, onChain.acks], [2n, 1n, 1n, 1n]);
});

test('bad publishes are refused with clear reasons', async () => {
  const channel = await createChannel();
  const reason = async (promise) => {
    try {
      await promise;
    } catch (e) {
      return describeError(e);
    }
    return 'succeeded';
  };
  assert.match(await reason(multicaster(A).publish.staticCall(channel, '0x0103')), /shorter than its 4-byte header/);
  assert.match(await reason(multicaster(A).publish.staticCall(channel, '0x01090000')), /unknown header type 9/);
  assert.match(await reason(multicaster(A).publish.staticCall(keccakText('nowhere'), plain('0x01'))), /does not exist/);
  const target = await deploy('MulticastSubscriber', wallet(B, 7));
  await (await registry(B).subscribe(channel, await target.getAddress(), NONE)).wait();
  assert.equal(await subscribers(channel), 1n);
  assert.match(await reason(multicaster(A).publish.staticCall(channel, plain('0x01'), { value: 0n })), /the publish fee is \d+ wei, 0 paid/);
});

test('a publish made on C is forwarded to the home chain A in the same transaction, numbered there and delivered to all once', async () => {
  const channel = await createChannel();
  const onA = await deploy('MulticastSubscriber', wallet(A, 7));
  const onB = await deploy('MulticastSubscriber', wallet(B, 7));
  await (await registry(A).subscribe(channel, await onA.getAddress(), NONE)).wait();
  await (await registry(B).subscribe(channel, await onB.getAddress(), NONE)).wait();
  assert.equal(await subscribers(channel), 2n);

  const onHome = await publish(channel, plain('0x01'));
  const fee = await multicaster(C).quotePublish(channel, 1);
  const receipt = await (await multicaster(C).publish(channel, plain('0x02'), { value: fee })).wait();
  const forwarded = receipt.logs.find((l) => l.address.toLowerCase() === MULTICASTER).topics[1];
  // Seq 2 of the channel on A, whichever chain it was made on.
  assert.equal(forwarded, keccak256(AbiCoder.defaultAbiCoder().encode(['bytes32', 'uint64'], [channel, 2n])));
  assert.equal(await multicaster(A).publishCount(channel), 2n);
  const done = await completed(forwarded);
  assert.equal(BigInt(done.homeChainId), (await A.provider.getNetwork()).chainId);
  assert.equal(BigInt(done.delivered), 2n);
  await completed(onHome);
  for (const s of [onA, onB]) {
    assert.equal(await s.received(), 2n, 'exactly once each');
    assert.equal(await s.outOfOrder(), 0n, 'in publish order');
  }
  // A stranger's publish on C is refused by A, and neither chain keeps anything.
  const stranger = multicaster(C, 8);
  await assert.rejects(stranger.publish(channel, plain('0x03'), { value: fee }), (e) => {
    assert.match(describeError(e), /only the channel owner publishes/);
    return true;
  });
  assert.equal(await multicaster(A).publishCount(channel), 2n);
});
