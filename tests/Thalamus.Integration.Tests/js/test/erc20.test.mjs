// The OpenZeppelin ERC-20 end to end: deploy, transfer, approve, transferFrom, balances through
// eth_call, events through eth_getLogs and queryFilter, gas estimates, decoded custom errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZeroAddress, id, parseUnits, zeroPadValue } from 'ethers';
import { deploy, devWallet, describeError, httpProvider, rejection } from '../lib/node.mjs';

const provider = httpProvider();
const owner = devWallet(1, provider);
const bob = devWallet(2, provider);
const spender = devWallet(3, provider);
const dave = devWallet(4, provider);
const supply = parseUnits('1000000', 18);

const token = await deploy('TestToken', owner, supply);
const address = await token.getAddress();
const TRANSFER_TOPIC = id('Transfer(address,address,uint256)');

test('deployment: metadata and the initial supply (eth_call)', async () => {
  assert.equal(await token.name(), 'Test Token');
  assert.equal(await token.symbol(), 'TST');
  assert.equal(await token.decimals(), 18n);
  assert.equal(await token.totalSupply(), supply);
  assert.equal(await token.balanceOf(owner.address), supply);
  const receipt = await provider.getTransactionReceipt(token.deploymentTransaction().hash);
  assert.equal(receipt.contractAddress, address);
  assert.equal(receipt.to, null);
});

test('transfer moves tokens and logs Transfer', async () => {
  const amount = parseUnits('100', 18);
  const tx = await token.transfer(bob.address, amount);
  const receipt = await tx.wait();
  assert.equal(receipt.status, 1);
  assert.equal(await token.balanceOf(bob.address), amount);
  assert.equal(await token.balanceOf(owner.address), supply - amount);

  assert.equal(receipt.logs.length, 1);
  const parsed = token.interface.parseLog(receipt.logs[0]);
  assert.equal(parsed.name, 'Transfer');
  assert.equal(parsed.args.from, owner.address);
  assert.equal(parsed.args.to, bob.address);
  assert.equal(parsed.args.value, amount);
  assert.equal(receipt.logs[0].address, address);
  assert.equal(receipt.logs[0].transactionHash, tx.hash);
  assert.equal(receipt.logs[0].blockNumber, receipt.blockNumber);
});

test('balance read at an older block (eth_call with a block tag)', async () => {
  const before = await provider.getBlockNumber();
  await (await token.transfer(bob.address, 1n)).wait();
  const bobThen = await token.balanceOf(bob.address, { blockTag: before });
  const bobNow = await token.balanceOf(bob.address);
  assert.equal(bobNow, bobThen + 1n);
});

test('approve, allowance, transferFrom', async () => {
  const approveReceipt = await (await token.approve(spender.address, 50n)).wait();
  const approval = token.interface.parseLog(approveReceipt.logs[0]);
  assert.equal(approval.name, 'Approval');
  assert.equal(approval.args.owner, owner.address);
  assert.equal(approval.args.spender, spender.address);
  assert.equal(approval.args.value, 50n);
  assert.equal(await token.allowance(owner.address, spender.address), 50n);

  const asSpender = token.connect(spender);
  await (await asSpender.transferFrom(owner.address, dave.address, 30n)).wait();
  assert.equal(await token.balanceOf(dave.address), 30n);
  assert.equal(await token.allowance(owner.address, spender.address), 20n);

  // A send fails in eth_estimateGas; ethers leaves custom errors there undecoded (no ABI), so decode.
  const error = await rejection(() => asSpender.transferFrom(owner.address, dave.address, 21n));
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  const decoded = token.interface.parseError(error.data);
  assert.equal(decoded?.name, 'ERC20InsufficientAllowance', describeError(error));
  assert.deepEqual([...decoded.args], [spender.address, 20n, 21n]);
});

test('transferring more than the balance reverts with ERC20InsufficientBalance', async () => {
  const asDave = token.connect(dave);
  const error = await rejection(() => asDave.transfer(bob.address, 31n));
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  assert.equal(token.interface.parseError(error.data)?.name, 'ERC20InsufficientBalance', describeError(error));
  // Through eth_call ethers decodes it against the ABI itself.
  const callError = await rejection(() => asDave.transfer.staticCall(bob.address, 31n));
  assert.equal(callError.revert?.name, 'ERC20InsufficientBalance', describeError(callError));
  assert.deepEqual([...callError.revert.args], [dave.address, 30n, 31n]);
});

test('events through queryFilter and eth_getLogs (address, topics, ranges, block hash)', async () => {
  const head = await provider.getBlockNumber();
  const toBob = await token.queryFilter(token.filters.Transfer(owner.address, bob.address), 0, head);
  assert.equal(toBob.length, 2);
  assert.deepEqual(toBob.map((e) => e.args.value), [parseUnits('100', 18), 1n]);
  assert.ok(toBob[0].blockNumber < toBob[1].blockNumber);

  const mints = await token.queryFilter(token.filters.Transfer(ZeroAddress));
  assert.equal(mints.length, 1);
  assert.equal(mints[0].args.to, owner.address);
  assert.equal(mints[0].args.value, supply);

  const all = await provider.getLogs({ address, fromBlock: 0, toBlock: 'latest' });
  // Mint, two transfers to bob, the approval, and transferFrom (OpenZeppelin 5 logs no Approval for it).
  assert.equal(all.length, 5, 'all logs of the token');
  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i - 1].blockNumber < all[i].blockNumber || (all[i - 1].blockNumber === all[i].blockNumber && all[i - 1].index < all[i].index), 'logs come in chain order');
  }

  const transfers = await provider.getLogs({ address, topics: [TRANSFER_TOPIC], fromBlock: 0 });
  assert.equal(transfers.length, all.filter((l) => l.topics[0] === TRANSFER_TOPIC).length);

  // OR within a topic position: transfers to bob or to dave.
  const toBobOrDave = await provider.getLogs({ address, fromBlock: 0, topics: [TRANSFER_TOPIC, null, [zeroPadValue(bob.address, 32), zeroPadValue(dave.address, 32)]] });
  assert.equal(toBobOrDave.length, 3);

  const one = toBob[0];
  const byHash = await provider.getLogs({ blockHash: one.blockHash, address });
  assert.equal(byHash.length, 1);
  assert.equal(byHash[0].transactionHash, one.transactionHash);

  const none = await provider.getLogs({ address: dave.address, fromBlock: 0 });
  assert.deepEqual(none, []);
});

test('gas estimates cover what the transfer uses and no more than 20% over', async () => {
  const estimate = await token.transfer.estimateGas(bob.address, 5n);
  const receipt = await (await token.transfer(bob.address, 5n, { gasLimit: estimate })).wait();
  assert.equal(receipt.status, 1);
  assert.ok(estimate >= receipt.gasUsed, `estimate ${estimate} >= used ${receipt.gasUsed}`);
  assert.ok(estimate * 100n <= receipt.gasUsed * 120n, `estimate ${estimate} within 20% of used ${receipt.gasUsed}`);

  const ethEstimate = await provider.estimateGas({ from: owner.address, to: bob.address, value: 1n });
  assert.equal(ethEstimate, 21000n, 'a plain ETH transfer costs exactly 21000');

  const fees = await provider.getFeeData();
  assert.ok(fees.gasPrice > 0n);
  assert.ok(fees.maxFeePerGas >= fees.maxPriorityFeePerGas);
  const history = await provider.send('eth_feeHistory', ['0x4', 'latest', [25, 75]]);
  assert.equal(history.baseFeePerGas.length, 5, 'feeHistory has blockCount + 1 base fees');
  assert.equal(history.reward.length, 4);
});
