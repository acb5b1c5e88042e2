// A message from chain A to chain B over the ClusterMessenger: sent by a dev account on A, delivered
// by the relayer as the first transaction of B's next block, seen by the receiver through the
// messenger's context (origin chain and sender), and reported relayed by cluster_getMessage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploy, describeError, rejection } from '../lib/node.mjs';
import { clusterChains, getMessage, messageWhen, messenger, sentMessageIds, wallet, MESSENGER } from '../lib/cluster.mjs';

const chains = await clusterChains();
const [A, B] = chains;
const senderOnA = wallet(A, 1);
const deployerOnB = wallet(B, 1);
const receiver = await deploy('MessageReceiver', deployerOnB);
const receiverAddress = await receiver.getAddress();
let firstId; // the message of the A -> B test

test('cluster_chains lists three chains with distinct ids and endpoints', async () => {
  assert.equal(chains.length, 3);
  assert.equal(new Set(chains.map((c) => c.chainId)).size, 3);
  for (const chain of chains) {
    const network = await chain.provider.getNetwork();
    assert.equal(network.chainId, chain.chainId, `eth_chainId of ${chain.url}`);
  }
});

test('a message A -> B runs in B\'s next block and reaches the receiver with its origin', async () => {
  const bHeadBefore = await B.provider.getBlockNumber();
  const data = receiver.interface.encodeFunctionData('receiveMessage', ['hello from A']);
  const tx = await messenger(senderOnA).sendMessage(B.chainId, receiverAddress, data);
  const receipt = await tx.wait();
  assert.equal(receipt.status, 1);
  const ids = sentMessageIds(receipt);
  assert.equal(ids.length, 1, 'one MessageSent event');
  const id = ids[0];
  firstId = id;

  const message = await messageWhen(A, id, 'relayed');
  assert.equal(BigInt(message.sourceChainId), A.chainId);
  assert.equal(BigInt(message.destinationChainId), B.chainId);
  assert.equal(message.sender.toLowerCase(), senderOnA.address.toLowerCase());
  assert.equal(message.target.toLowerCase(), receiverAddress.toLowerCase());
  assert.equal(BigInt(message.sentBlockNumber), BigInt(receipt.blockNumber));
  assert.equal(message.sentTransactionHash, receipt.hash);
  assert.equal(BigInt(message.deliveredBlockNumber), BigInt(bHeadBefore + 1), 'delivered in B\'s next block');

  // The delivery is the relayer's transaction, the first one of that block on B.
  const block = await B.provider.getBlock(Number(BigInt(message.deliveredBlockNumber)));
  assert.equal(block.transactions[0], message.deliveryTransactionHash);
  const delivery = await B.provider.getTransactionReceipt(message.deliveryTransactionHash);
  assert.equal(delivery.status, 1);
  assert.equal(delivery.to.toLowerCase(), MESSENGER);
  const received = delivery.logs.filter((l) => l.address === receiverAddress).map((l) => receiver.interface.parseLog(l));
  assert.equal(received.length, 1);
  assert.equal(received[0].name, 'Received');
  assert.equal(received[0].args.text, 'hello from A');

  // The receiver's state on B, read through B's endpoint.
  assert.equal(await receiver.count(), 1n);
  assert.equal(await receiver.lastText(), 'hello from A');
  assert.equal(await receiver.lastSender(), senderOnA.address);
  assert.equal(await receiver.lastSourceChainId(), A.chainId);
  assert.equal(await messenger(B.provider).relayed(id), true);

  // Every endpoint answers for every message, and it is listed by sender and by chain.
  assert.equal((await getMessage(B, id)).status, 'relayed');
  const bySender = await A.provider.send('cluster_getMessages', [{ sender: senderOnA.address, destinationChainId: '0x' + B.chainId.toString(16) }]);
  assert.ok(bySender.messages.some((m) => m.id === id), JSON.stringify(bySender));
});

test('exactly once: nobody else can relay the message again, and the receiver counted one', async () => {
  const data = receiver.interface.encodeFunctionData('receiveMessage', ['hello from A']);
  assert.ok(firstId, 'the A -> B test ran first');
  const sent = await getMessage(A, firstId);
  assert.equal(sent.status, 'relayed');
  const error = await rejection(() => messenger(wallet(B, 2)).relayMessage(sent.id, A.chainId, senderOnA.address, receiverAddress, data));
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  const retry = await rejection(() => messenger(wallet(B, 2)).retryMessage(sent.id, A.chainId, senderOnA.address, receiverAddress, data));
  assert.equal(retry.code, 'CALL_EXCEPTION', describeError(retry));
  assert.equal(await receiver.count(), 1n);
  assert.equal(await getMessage(A, '0x' + '11'.repeat(32)), null, 'an unknown id is null');
});

test('messages from A to B and to C each arrive once', async () => {
  const [, , C] = chains;
  const receiverOnC = await deploy('MessageReceiver', wallet(C, 1));
  const m = messenger(senderOnA);
  const r1 = await (await m.sendMessage(B.chainId, receiverAddress, receiver.interface.encodeFunctionData('receiveMessage', ['second']))).wait();
  const r2 = await (await m.sendMessage(C.chainId, await receiverOnC.getAddress(), receiver.interface.encodeFunctionData('receiveMessage', ['to C']))).wait();
  await messageWhen(A, sentMessageIds(r1)[0], 'relayed');
  await messageWhen(A, sentMessageIds(r2)[0], 'relayed');
  assert.equal(await receiver.count(), 2n);
  assert.equal(await receiver.lastText(), 'second');
  assert.equal(await receiverOnC.count(), 1n);
  assert.equal(await receiverOnC.lastSourceChainId(), A.chainId);
});
