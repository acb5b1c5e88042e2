// Revert reasons as ethers decodes them: Error(string) from require, a custom error, a Panic,
// in eth_call, in eth_estimateGas, and in a mined transaction that failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploy, devWallet, describeError, httpProvider, rejection } from '../lib/node.mjs';

const provider = httpProvider();
const signer = devWallet(8, provider);
const reverter = await deploy('Reverter', signer);

test('require message through eth_call', async () => {
  const error = await rejection(() => reverter.failRequire());
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  assert.equal(error.reason, 'Reverter: always fails', describeError(error));
  assert.equal(error.revert?.name, 'Error');
  assert.deepEqual([...error.revert.args], ['Reverter: always fails']);
  assert.equal(error.action, 'call');
});

test('custom error through eth_call, decoded against the ABI', async () => {
  const error = await rejection(() => reverter.failCustom());
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  assert.equal(error.revert?.name, 'Unauthorized', describeError(error));
  assert.deepEqual([...error.revert.args], [signer.address, 42n]);
  assert.equal(error.revert.signature, 'Unauthorized(address,uint256)');
  // The raw revert data is there for clients that decode it themselves.
  assert.equal(reverter.interface.parseError(error.data)?.name, 'Unauthorized');
});

test('panic (division by zero) through eth_call', async () => {
  const error = await rejection(() => reverter.failPanic(0n));
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  assert.equal(error.revert?.name, 'Panic', describeError(error));
  assert.equal(BigInt(error.revert.args[0]), 0x12n);
  assert.equal(await reverter.failPanic(1n), 1n, 'and the happy path returns');
});

test('require message through eth_estimateGas (ethers estimates before sending)', async () => {
  const error = await rejection(() => reverter.setValue(0n));
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  assert.equal(error.reason, 'Reverter: zero value', describeError(error));
  assert.equal(error.action, 'estimateGas');

  const direct = await rejection(() => reverter.setValue.estimateGas(0n));
  assert.equal(direct.reason, 'Reverter: zero value', describeError(direct));
});

test('custom error through eth_estimateGas', async () => {
  // ethers decodes custom errors against the ABI for calls (staticCall, view functions); a send
  // fails in the provider's estimateGas, which does not know the ABI, so the data is decoded here.
  const error = await rejection(() => reverter.setValue(5000n));
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  assert.equal(error.action, 'estimateGas');
  const decoded = reverter.interface.parseError(error.data);
  assert.equal(decoded?.name, 'Unauthorized', describeError(error));
  assert.deepEqual([...decoded.args], [signer.address, 5000n]);

  const call = await rejection(() => reverter.setValue.staticCall(5000n));
  assert.equal(call.revert?.name, 'Unauthorized', describeError(call));
  assert.deepEqual([...call.revert.args], [signer.address, 5000n]);
});

test('raw JSON-RPC: code 3 with the revert data, as geth answers', async () => {
  const data = reverter.interface.encodeFunctionData('failRequire');
  const response = await fetch(provider._getConnection().url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: await reverter.getAddress(), data }, 'latest'] }),
  });
  const body = await response.json();
  assert.equal(body.error?.code, 3, JSON.stringify(body));
  assert.match(body.error.message, /execution reverted/);
  assert.match(body.error.message, /Reverter: always fails/);
  assert.equal(reverter.interface.parseError(body.error.data)?.name, 'Error');
});

test('a transaction that reverts on chain is mined with status 0 and ethers reports CALL_EXCEPTION', async () => {
  const tx = await reverter.setValue(0n, { gasLimit: 100_000n });
  const error = await rejection(() => tx.wait());
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  assert.equal(error.receipt?.status, 0);
  const receipt = await provider.getTransactionReceipt(tx.hash);
  assert.equal(receipt.status, 0);
  assert.ok(receipt.gasUsed > 21000n && receipt.gasUsed < 100_000n);
  assert.equal(receipt.logs.length, 0);
  assert.equal(await reverter.value(), 0n, 'state is unchanged');
});

test('a successful call after the failures', async () => {
  const receipt = await (await reverter.setValue(9n)).wait();
  const event = reverter.interface.parseLog(receipt.logs[0]);
  assert.equal(event.name, 'ValueSet');
  assert.equal(event.args.by, signer.address);
  assert.equal(await reverter.value(), 9n);
});
