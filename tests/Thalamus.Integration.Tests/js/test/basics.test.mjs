// The node as any ethers.js user first meets it: network, dev accounts, plain ETH transfers,
// blocks and transactions, code and storage, and the dev conveniences (evm_mine, snapshots).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Wallet, parseEther, toQuantity, zeroPadValue } from 'ethers';
import { CHAIN_ID, artifact, deploy, devWallet, httpProvider } from '../lib/node.mjs';

const provider = httpProvider();
const ANVIL_ACCOUNT_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

test('network: chain id, net_version, client version', async () => {
  const network = await provider.getNetwork();
  assert.equal(network.chainId, CHAIN_ID);
  assert.equal(await provider.send('net_version', []), CHAIN_ID.toString());
  const version = await provider.send('web3_clientVersion', []);
  assert.equal(typeof version, 'string');
  assert.ok(version.length > 0);
});

test('dev accounts are anvil\'s and funded at genesis', async () => {
  const wallet = devWallet(0, provider);
  assert.equal(wallet.address, ANVIL_ACCOUNT_0);
  for (let i = 0; i < 10; i++) {
    const balance = await provider.getBalance(devWallet(i, provider).address, 0);
    assert.equal(balance, parseEther('10000'), `genesis balance of dev account ${i}`);
  }
});

test('an ETH transfer is mined at once (automine) with a full receipt', async () => {
  const sender = devWallet(0, provider);
  const recipient = Wallet.createRandom().address;
  const before = await provider.getBlockNumber();

  const tx = await sender.sendTransaction({ to: recipient, value: parseEther('1.5') });
  const receipt = await tx.wait();

  assert.equal(receipt.status, 1);
  assert.equal(receipt.from, sender.address);
  assert.equal(receipt.to, recipient);
  assert.equal(receipt.gasUsed, 21000n);
  assert.equal(receipt.blockNumber, before + 1, 'automine seals one block per transaction');
  assert.equal(await provider.getBalance(recipient), parseEther('1.5'));
  assert.equal(await provider.getTransactionCount(recipient), 0);

  const mined = await provider.getTransaction(tx.hash);
  assert.equal(mined.hash, tx.hash);
  assert.equal(mined.blockNumber, receipt.blockNumber);
  assert.equal(mined.blockHash, receipt.blockHash);
  assert.equal(mined.from, sender.address);
  assert.equal(mined.value, parseEther('1.5'));
  assert.equal(mined.chainId, CHAIN_ID);
});

test('blocks by number and by hash agree and carry Cancun fields', async () => {
  const latest = await provider.getBlock('latest');
  assert.ok(latest.number > 0);
  const byHash = await provider.getBlock(latest.hash);
  assert.equal(byHash.number, latest.number);
  assert.equal(byHash.hash, latest.hash);
  assert.equal(byHash.parentHash, (await provider.getBlock(latest.number - 1)).hash);
  assert.ok(latest.baseFeePerGas !== null && latest.baseFeePerGas > 0n, 'baseFeePerGas (EIP-1559)');
  assert.ok(latest.gasLimit > 0n);
  assert.equal(latest.transactions.length, 1);

  const raw = await provider.send('eth_getBlockByNumber', [toQuantity(latest.number), false]);
  for (const field of ['stateRoot', 'receiptsRoot', 'transactionsRoot', 'logsBloom', 'mixHash', 'withdrawalsRoot', 'blobGasUsed', 'excessBlobGas', 'parentBeaconBlockRoot']) {
    assert.ok(raw[field] !== undefined && raw[field] !== null, `block field ${field}`);
  }
  const full = await provider.send('eth_getBlockByNumber', [toQuantity(latest.number), true]);
  assert.equal(full.transactions[0].hash, latest.transactions[0]);

  assert.equal(await provider.getBlock(999_999_999), null, 'a block beyond the head is null');
  assert.equal(await provider.getTransaction(`0x${'ab'.repeat(32)}`), null, 'an unknown transaction is null');
  assert.equal(await provider.getTransactionReceipt(`0x${'ab'.repeat(32)}`), null, 'an unknown receipt is null');
});

test('eth_getCode returns the deployed runtime bytecode; eth_getStorageAt reads a slot', async () => {
  const signer = devWallet(0, provider);
  const reverter = await deploy('Reverter', signer);
  const address = await reverter.getAddress();
  assert.equal(await provider.getCode(address), artifact('Reverter').deployedBytecode);
  assert.equal(await provider.getCode(Wallet.createRandom().address), '0x');

  assert.equal(await provider.getStorage(address, 0), zeroPadValue('0x', 32));
  await (await reverter.setValue(7)).wait();
  assert.equal(BigInt(await provider.getStorage(address, 0)), 7n);
  assert.equal(await reverter.value(), 7n);
});

test('evm_mine, evm_snapshot and evm_revert', async () => {
  const sender = devWallet(0, provider);
  const start = await provider.getBlockNumber();
  await provider.send('evm_mine', []);
  assert.equal(await provider.getBlockNumber(), start + 1, 'evm_mine seals an empty block');

  const snapshot = await provider.send('evm_snapshot', []);
  const recipient = Wallet.createRandom().address;
  await (await sender.sendTransaction({ to: recipient, value: 1000n })).wait();
  assert.equal(await provider.getBalance(recipient), 1000n);

  assert.equal(await provider.send('evm_revert', [snapshot]), true);
  assert.equal(await provider.getBalance(recipient), 0n, 'the transfer is undone');
  assert.equal(await provider.getBlockNumber(), start + 1, 'the head is back at the snapshot');
  // The sender's nonce is back too, so the next transaction goes through.
  await (await sender.sendTransaction({ to: recipient, value: 5n })).wait();
  assert.equal(await provider.getBalance(recipient), 5n);
});

test('legacy, EIP-2930 and EIP-1559 transactions are all accepted', async () => {
  const sender = devWallet(0, provider);
  const recipient = Wallet.createRandom().address;
  const feeData = await provider.getFeeData();
  for (const [type, fields] of [
    [0, { gasPrice: feeData.gasPrice }],
    [1, { gasPrice: feeData.gasPrice, accessList: [] }],
    [2, { maxFeePerGas: feeData.maxFeePerGas, maxPriorityFeePerGas: feeData.maxPriorityFeePerGas }],
  ]) {
    const tx = await sender.sendTransaction({ to: recipient, value: 1n, type, ...fields });
    const receipt = await tx.wait();
    assert.equal(receipt.status, 1, `type ${type}`);
    assert.equal(receipt.type, type, `receipt type ${type}`);
    assert.equal((await provider.getTransaction(tx.hash)).type, type);
  }
  assert.equal(await provider.getBalance(recipient), 3n);
});

test('evm_setAutomine(false): a transaction waits in the pool until evm_mine', async () => {
  const sender = devWallet(0, provider);
  const recipient = Wallet.createRandom().address;
  await provider.send('evm_setAutomine', [false]);
  try {
    const nonce = await provider.getTransactionCount(sender.address, 'latest');
    const head = await provider.getBlockNumber();
    const tx = await sender.sendTransaction({ to: recipient, value: 42n, gasLimit: 21000n });
    assert.equal(await provider.getTransactionReceipt(tx.hash), null, 'not mined while automine is off');
    const pending = await provider.getTransaction(tx.hash);
    assert.ok(pending, 'a pooled transaction is returned by eth_getTransactionByHash');
    assert.equal(pending.blockNumber, null);
    assert.equal(await provider.getTransactionCount(sender.address, 'pending'), nonce + 1, 'the pending nonce counts the pool');
    assert.equal(await provider.getTransactionCount(sender.address, 'latest'), nonce);
    assert.equal(await provider.getBlockNumber(), head);

    await provider.send('evm_mine', []);
    const receipt = await provider.getTransactionReceipt(tx.hash);
    assert.ok(receipt, 'evm_mine includes the pooled transaction');
    assert.equal(receipt.blockNumber, head + 1);
    assert.equal(await provider.getBalance(recipient), 42n);
  } finally {
    await provider.send('evm_setAutomine', [true]);
  }
  const after = await (await sender.sendTransaction({ to: recipient, value: 1n })).wait();
  assert.equal(after.status, 1, 'automine is back on');
});

test('unlocked dev accounts: eth_accounts and eth_sendTransaction through a JsonRpcSigner', async () => {
  const accounts = await provider.listAccounts();
  assert.equal(accounts.length, 10);
  assert.equal(accounts[0].address, ANVIL_ACCOUNT_0);
  const signer = await provider.getSigner(0);
  const recipient = Wallet.createRandom().address;
  const receipt = await (await signer.sendTransaction({ to: recipient, value: 99n })).wait();
  assert.equal(receipt.status, 1);
  assert.equal(receipt.from, ANVIL_ACCOUNT_0);
  assert.equal(await provider.getBalance(recipient), 99n);
});
