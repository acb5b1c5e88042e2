// Transaction pool behaviour. A nonce gap while automining is refused with "nonce too high"
// (Hardhat's rule: a block per transaction cannot wait for a missing nonce, and a client that
// skipped a nonce learns it at once instead of waiting for a receipt that never comes). With
// automine off the pool behaves like geth's: the gapped transaction is queued until the gap is
// filled. A used nonce is "nonce too low"; a sender who cannot pay gets "insufficient funds".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Wallet, parseEther } from 'ethers';
import { devWallet, describeError, httpProvider, receiptWithin, rejection, rpcError, rpcMessage } from '../lib/node.mjs';

const provider = httpProvider();
const sender = devWallet(9, provider);

async function fees() {
  const data = await provider.getFeeData();
  return { maxFeePerGas: data.maxFeePerGas, maxPriorityFeePerGas: data.maxPriorityFeePerGas, type: 2 };
}

async function common(recipient) {
  return { to: recipient, value: 1n, gasLimit: 21000n, chainId: (await provider.getNetwork()).chainId, ...(await fees()) };
}

test('nonce gap while automining: rejected with "nonce too high"', async () => {
  const nonce = await provider.getTransactionCount(sender.address, 'latest');
  const gapped = await sender.signTransaction({ ...(await common(Wallet.createRandom().address)), nonce: nonce + 1 });
  const error = await rejection(() => provider.send('eth_sendRawTransaction', [gapped]));
  assert.equal(rpcError(error)?.code, -32000, describeError(error));
  assert.match(rpcMessage(error), /nonce too high/);
  assert.equal(await provider.getTransactionCount(sender.address, 'pending'), nonce, 'nothing was queued');
});

test('nonce gap with automine off: queued until the gap is filled, then mined in nonce order', async () => {
  const recipient = Wallet.createRandom().address;
  const fields = await common(recipient);
  const nonce = await provider.getTransactionCount(sender.address, 'latest');
  await provider.send('evm_setAutomine', [false]);
  try {
    const gapped = await sender.signTransaction({ ...fields, nonce: nonce + 1 });
    const gappedHash = await provider.send('eth_sendRawTransaction', [gapped]);
    assert.match(gappedHash, /^0x[0-9a-f]{64}$/);
    await provider.send('evm_mine', []);
    assert.equal(await receiptWithin(provider, gappedHash, 300), null, 'a queued transaction is not mined');
    assert.equal(await provider.getTransactionCount(sender.address, 'pending'), nonce, 'the pending nonce does not skip the gap');

    const filler = await sender.signTransaction({ ...fields, nonce });
    const fillerHash = await provider.send('eth_sendRawTransaction', [filler]);
    await provider.send('evm_mine', []);
    const fillerReceipt = await receiptWithin(provider, fillerHash, 10_000);
    const gappedReceipt = await receiptWithin(provider, gappedHash, 10_000);
    assert.ok(fillerReceipt && gappedReceipt, 'both are mined once the gap is filled');
    assert.equal(gappedReceipt.status, 1);
    assert.equal(gappedReceipt.blockNumber, fillerReceipt.blockNumber);
    assert.ok(gappedReceipt.index > fillerReceipt.index, 'nonce order within the block');
    assert.equal(await provider.getBalance(recipient), 2n);
  } finally {
    await provider.send('evm_setAutomine', [true]);
  }
});

test('a used nonce is rejected: "nonce too low" (ethers NONCE_EXPIRED)', async () => {
  await (await sender.sendTransaction({ to: sender.address, value: 1n })).wait();
  const nonce = await provider.getTransactionCount(sender.address, 'latest');
  const error = await rejection(() => sender.sendTransaction({ to: sender.address, value: 1n, nonce: nonce - 1, gasLimit: 21000n }));
  assert.equal(error.code, 'NONCE_EXPIRED', describeError(error));
  assert.match(rpcMessage(error), /nonce too low/);
});

test('an underfunded sender gets "insufficient funds" (ethers INSUFFICIENT_FUNDS)', async () => {
  const poor = Wallet.createRandom(provider);
  const feeFields = await fees();
  // Explicit gas and fees: straight to eth_sendRawTransaction, no estimate first.
  const error = await rejection(() => poor.sendTransaction({ to: sender.address, value: 1n, gasLimit: 21000n, nonce: 0, ...feeFields }));
  assert.equal(error.code, 'INSUFFICIENT_FUNDS', describeError(error));
  assert.match(rpcMessage(error), /insufficient funds for gas \* price \+ value/);
  assert.equal(rpcError(error)?.code, -32000, describeError(error));

  // A funded sender sending more than it has fails the same way.
  const balance = await provider.getBalance(sender.address);
  const tooMuch = await rejection(() => sender.sendTransaction({ to: poor.address, value: balance, gasLimit: 21000n, ...feeFields }));
  assert.equal(tooMuch.code, 'INSUFFICIENT_FUNDS', describeError(tooMuch));

  // And with ethers estimating gas first.
  const estimated = await rejection(() => poor.sendTransaction({ to: sender.address, value: parseEther('1') }));
  assert.equal(estimated.code, 'INSUFFICIENT_FUNDS', describeError(estimated));
});

test('wrong chain id, too little gas, and a duplicate are rejected with geth\'s messages', async () => {
  const nonce = await provider.getTransactionCount(sender.address, 'latest');
  const base = { to: sender.address, value: 1n, nonce, ...(await fees()) };

  const wrongChain = await sender.signTransaction({ ...base, gasLimit: 21000n, chainId: 1n });
  const chainError = await rejection(() => provider.send('eth_sendRawTransaction', [wrongChain]));
  assert.match(rpcMessage(chainError), /chain id/i, describeError(chainError));

  const lowGas = await sender.signTransaction({ ...base, gasLimit: 20000n, chainId: (await provider.getNetwork()).chainId });
  const gasError = await rejection(() => provider.send('eth_sendRawTransaction', [lowGas]));
  assert.match(rpcMessage(gasError), /intrinsic gas too low/, describeError(gasError));

  const good = await sender.signTransaction({ ...base, gasLimit: 21000n, chainId: (await provider.getNetwork()).chainId });
  const hash = await provider.send('eth_sendRawTransaction', [good]);
  assert.ok(await receiptWithin(provider, hash, 10_000));
  const again = await rejection(() => provider.send('eth_sendRawTransaction', [good]));
  // The transaction is already mined: geth says "nonce too low" (or "already known" while pooled).
  assert.match(rpcMessage(again), /nonce too low|already known/, describeError(again));
});
