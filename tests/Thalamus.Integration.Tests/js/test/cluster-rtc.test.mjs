// Remote transaction calls on the Thalamus gateway (0x…30, an ERC-7786 gateway): OpenZeppelin 5.7's
// CrosschainRemoteExecutor and a BridgeERC20 pair work over it unchanged; an atomic A -> B -> C RTC
// (take tokens on A, swap on B, deposit on C) either commits everywhere with B's result piped into C's
// call or, when the swap fails, leaves every chain as it was; an async RTC is NACKed with its reason
// and its assets come back; bad input is refused with the reason and reserves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbiCoder, Contract, concat, getCreateAddress, toBeArray, zeroPadValue, toBeHex, getBytes, hexlify, Interface } from 'ethers';
import { artifact, deploy, describeError, rejection } from '../lib/node.mjs';
import { clusterChains, create2, initCode, messageWhen, sentMessageIds, wallet, sleep } from '../lib/cluster.mjs';

export const GATEWAY = '0x4200000000000000000000000000000000000030';
export const EXECUTOR = '0x4200000000000000000000000000000000000032';
const Adapter = { None: 0, Native: 1, ERC20: 2, ERC721: 3 };
const coder = AbiCoder.defaultAbiCoder();

const chains = await clusterChains();
const [A, B, C] = chains;
const userIndex = 8;
const user = wallet(A, userIndex);
// The gateway's ABI: Thalamus' own functions and those of its companion ThalamusExternal, which its fallback
// delegatecalls (ERC-7786, quotes, calls by name, external chains, expiry; docs/rtc.md, Code size); shared entries once.
const gatewayAbi = [...artifact('Thalamus').abi, ...artifact('ThalamusExternal').abi].filter(
  (entry, i, all) => all.findIndex((e) => JSON.stringify(e) === JSON.stringify(entry)) === i);
const gatewayOn = (chain, runner = chain.provider) => new Contract(GATEWAY, gatewayAbi, runner);
const gatewayA = gatewayOn(A, user);

/** ERC-7930 binary interoperable address of an EVM account (what OpenZeppelin's InteroperableAddress.formatEvmV1 builds). */
function interop(chainId, address) {
  const reference = toBeArray(chainId);
  return hexlify(concat(['0x00010000', toBeHex(reference.length, 1), reference, '0x14', address]));
}

/** The chain id's token, the same address on every chain (CREATE2), its supply on A. */
const supply = 10n ** 24n;
const tokenCode = initCode('ThalamusToken', 'Thalamus Token', 'THT', user.address, supply, A.chainId);
let tokenAddress;
for (const chain of chains) tokenAddress = await create2(wallet(chain, userIndex), 0x7a1a5n, tokenCode);
const tokenOn = (chain, runner = chain.provider) => new Contract(tokenAddress, artifact('ThalamusToken').abi, runner);

const swap = await deploy('RtcSwap', wallet(B, userIndex));
const swapAddress = await swap.getAddress();
const vaultA = await deploy('RtcVault', user);
const vaultC = await deploy('RtcVault', wallet(C, userIndex));
const [vaultAAddress, vaultCAddress] = [await vaultA.getAddress(), await vaultC.getAddress()];
await (await tokenOn(A, user).approve(GATEWAY, supply)).wait();

function call(chain, target, data, extra = {}) {
  return {
    chainId: chain.chainId, target, data, adapter: Adapter.None, asset: '0x0000000000000000000000000000000000000000',
    amount: 0n, approvalAmount: 0n, beneficiary: '0x0000000000000000000000000000000000000000', gasLimit: 0n, bridgeBack: false, ...extra,
  };
}

const carryT = (amount, extra = {}) => ({ adapter: Adapter.ERC20, asset: tokenAddress, amount, approvalAmount: amount, beneficiary: swapAddress, ...extra });

/** The swap on B, the deposit on C of the piped amount (word 0 of call 1's result at byte 4 + 32 of call 2's data), a local deposit on A first. */
function pipeline(minOut, amountIn = 100n) {
  return {
    calls: [
      call(A, vaultAAddress, vaultA.interface.encodeFunctionData('deposit', [user.address, 1n])),
      call(B, swapAddress, swap.interface.encodeFunctionData('swap', [tokenAddress, amountIn, minOut, user.address]), carryT(amountIn)),
      call(C, vaultCAddress, vaultC.interface.encodeFunctionData('deposit', [user.address, 0n])),
    ],
    pipes: [{ fromCall: 1, word: 0, toCall: 2, offset: 36 }],
    atomic: true,
    deadline: 0n,
  };
}

function rtcIdOf(receipt) {
  const iface = new Interface(gatewayAbi);
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== GATEWAY) continue;
    const parsed = iface.parseLog(log);
    if (parsed?.name === 'RtcSent') return parsed.args.id;
  }
  throw new Error('no RtcSent in the receipt');
}

async function getRtc(chain, id) {
  return chain.provider.send('thalamus_getRtc', [id]);
}

async function rtcWhenSettled(chain, id, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rtc = await getRtc(chain, id);
    if (rtc !== null && rtc.status !== 'PENDING') return rtc;
    if (Date.now() >= deadline) throw new Error(`RTC ${id} still not settled after ${timeoutMs} ms: ${JSON.stringify(rtc)}`);
    await sleep(50);
  }
}

async function waitFor(read, expected, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value === expected) return;
    if (Date.now() >= deadline) assert.fail(`${what}: ${value}, want ${expected} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function snapshot() {
  return {
    userOnA: await tokenOn(A).balanceOf(user.address),
    gatewayOnA: await tokenOn(A).balanceOf(GATEWAY),
    supplyA: await tokenOn(A).totalSupply(),
    supplyB: await tokenOn(B).totalSupply(),
    supplyC: await tokenOn(C).totalSupply(),
    swaps: await swap.swaps(),
    outputs: await swap.outputs(user.address),
    swapHolds: await tokenOn(B).balanceOf(swapAddress),
    gatewayOnB: await tokenOn(B).balanceOf(GATEWAY),
    allowanceOnB: await tokenOn(B).allowance(EXECUTOR, swapAddress),
    executorOnB: await tokenOn(B).balanceOf(EXECUTOR),
    depositsA: await vaultA.deposits(user.address),
    depositsC: await vaultC.deposits(user.address),
  };
}

test('the Thalamus gateway is predeployed on every chain and knows the cluster', async () => {
  for (const chain of chains) {
    assert.notEqual(await chain.provider.getCode(GATEWAY), '0x', `no gateway on ${chain.chainId}`);
    assert.equal(await gatewayOn(chain).supportsAttribute('0x00000000'), false);
  }
  assert.equal(await gatewayOn(A).isMember(B.chainId), true);
  assert.equal(await gatewayOn(A).isMember(A.chainId), true);
  assert.equal(await gatewayOn(A).isMember(424242n), false);
});

test("OpenZeppelin's CrosschainRemoteExecutor on B runs what its controller on A sends through the gateway", async () => {
  const ownerOnB = wallet(B, userIndex);
  const executor = await deploy('RtcRemoteExecutor', ownerOnB, GATEWAY, interop(A.chainId, user.address));
  const executorAddress = await executor.getAddress();
  const token = await deploy('TestToken', ownerOnB, 1000n);
  await (await token.transfer(executorAddress, 100n)).wait();
  const bob = wallet(B, 4).address;
  const before = await token.balanceOf(bob);

  // ERC-7579 single call, default exec type: mode (32 zero bytes) ++ target ++ value ++ call data.
  const transfer = token.interface.encodeFunctionData('transfer', [bob, 7n]);
  const payload = concat([zeroPadValue('0x', 32), await token.getAddress(), zeroPadValue(toBeHex(0n), 32), transfer]);
  const receipt = await (await gatewayA.sendMessage(interop(B.chainId, executorAddress), payload, [])).wait();
  assert.equal(receipt.status, 1);
  await waitFor(async () => await token.balanceOf(bob), before + 7n, 'bob on B got what the executor was told to send');
  assert.equal(await token.balanceOf(executorAddress), 93n);

  // Someone else on A is not the executor's controller: the message reaches B, where the executor refuses it.
  const stranger = wallet(A, 4);
  const refused = await (await gatewayOn(A, stranger).sendMessage(interop(B.chainId, executorAddress), payload, [])).wait();
  const [carrier] = sentMessageIds(refused); // the ClusterMessenger message that carried it
  const message = await messageWhen(A, carrier, 'failed');
  assert.match(message.revertData, new RegExp(new Interface(artifact('RtcRemoteExecutor').abi).getError('ERC7786RecipientUnauthorizedGateway').selector.slice(2)));
  assert.equal(await token.balanceOf(executorAddress), 93n, 'a stranger cannot command the executor');
});

test("OpenZeppelin's BridgeERC20 pair moves tokens A -> B over the gateway (escrow on A, release on B)", async () => {
  const deployerA = wallet(A, 9);
  const deployerB = wallet(B, 9);
  const tokenA = await deploy('TestToken', deployerA, 1000n);
  const tokenB = await deploy('TestToken', deployerB, 1000n);
  const bridgeA = getCreateAddress({ from: deployerA.address, nonce: await A.provider.getTransactionCount(deployerA.address) });
  const bridgeB = getCreateAddress({ from: deployerB.address, nonce: await B.provider.getTransactionCount(deployerB.address) });
  const onA = await deploy('RtcBridgeERC20', deployerA, await tokenA.getAddress(), [{ gateway: GATEWAY, counterpart: interop(B.chainId, bridgeB) }]);
  const onB = await deploy('RtcBridgeERC20', deployerB, await tokenB.getAddress(), [{ gateway: GATEWAY, counterpart: interop(A.chainId, bridgeA) }]);
  assert.equal(await onA.getAddress(), bridgeA);
  assert.equal(await onB.getAddress(), bridgeB);
  await (await tokenB.transfer(bridgeB, 500n)).wait(); // B's side releases from its custody

  const bob = wallet(B, 4).address;
  await (await tokenA.approve(bridgeA, 120n)).wait();
  const receipt = await (await onA.crosschainTransfer(interop(B.chainId, bob), 120n)).wait();
  assert.equal(receipt.status, 1);
  assert.equal(await tokenA.balanceOf(bridgeA), 120n, 'escrowed on A');
  await waitFor(async () => await tokenB.balanceOf(bob), 120n, "bob's balance on B");
  assert.equal(await tokenB.balanceOf(bridgeB), 380n, 'released from custody on B');
});

test('an atomic A -> B -> C RTC commits on every chain and pipes the swap result on B into the deposit on C', async () => {
  const before = await snapshot();
  const rtc = pipeline(150n);
  const receipt = await (await gatewayA.sendRtc(rtc, { gasLimit: 3_000_000 })).wait();
  assert.equal(receipt.status, 1);
  const id = rtcIdOf(receipt);
  const after = await snapshot();

  assert.equal(after.userOnA, before.userOnA - 100n, 'the tokens left the sender on A');
  assert.equal(after.supplyA, before.supplyA - 100n, 'burnt on A');
  assert.equal(after.supplyB, before.supplyB + 100n, 'minted on B');
  assert.equal(after.swapHolds, before.swapHolds + 100n, 'the swap took them');
  assert.equal(after.gatewayOnB, before.gatewayOnB, 'nothing stays with the gateway on B');
  assert.equal(after.allowanceOnB, 0n, "the swap's approval is revoked");
  assert.equal(after.outputs, before.outputs + 200n);
  assert.equal(after.depositsA, before.depositsA + 1n, 'the local call on A ran');
  assert.equal(after.depositsC, before.depositsC + 200n, "C's deposit got B's swap result");
  assert.equal(await vaultC.lastRtcSender(), user.address, 'the call on C knows the RTC sender');
  assert.equal(await vaultC.lastSourceChainId(), A.chainId);

  const onChain = await gatewayOn(A).rtcOf(id);
  assert.equal(onChain.status, 2n, 'ACK on chain');
  const record = await getRtc(A, id);
  assert.equal(record.status, 'ACK');
  assert.equal(record.atomic, true);
  assert.deepEqual(record.chainIds.map(BigInt), [A.chainId, B.chainId, C.chainId]);
  assert.equal(record.results.length, 3);
  assert.equal(coder.decode(['uint256'], record.results[1])[0], 200n, "the ACK carries the swap's return data");
  assert.equal(coder.decode(['uint256'], record.results[2])[0], after.depositsC);
});

test('an atomic A -> B -> C RTC whose swap on B fails leaves every chain and the sender as they were, NACKed with the reason', async () => {
  const before = await snapshot();
  const rtc = pipeline(10n ** 30n); // minOut no swap reaches
  const receipt = await (await gatewayA.sendRtc(rtc, { gasLimit: 3_000_000 })).wait();
  assert.equal(receipt.status, 1, 'the NACK is recorded; the calls are undone');
  const id = rtcIdOf(receipt);
  assert.deepEqual(await snapshot(), before, 'every chain is as before');

  assert.equal((await gatewayOn(A).rtcOf(id)).status, 3n, 'NACK on chain');
  const record = await getRtc(A, id);
  assert.equal(record.status, 'NACK');
  assert.equal(record.failedCall, '0x1');
  assert.equal(record.reasonText, 'RtcSwap: slippage');
  assert.equal(record.results, null);
});

test('an async RTC to B is NACKed with the failing call and its reason, and the carried tokens come back', async () => {
  const before = await snapshot();
  const rtc = {
    calls: [call(B, swapAddress, swap.interface.encodeFunctionData('swap', [tokenAddress, 50n, 10n ** 30n, user.address]), carryT(50n))],
    pipes: [],
    atomic: false,
    deadline: 0n,
  };
  const receipt = await (await gatewayA.sendRtc(rtc, { gasLimit: 2_000_000 })).wait();
  assert.equal(receipt.status, 1);
  const id = rtcIdOf(receipt);
  const record = await rtcWhenSettled(A, id);
  assert.equal(record.status, 'NACK', JSON.stringify(record));
  assert.equal(record.failedCall, '0x0');
  assert.equal(record.reasonText, 'RtcSwap: slippage');
  assert.equal(record.executedOk, false, 'the destination recorded the failed execution');
  assert.equal(BigInt(record.destinationChainId), B.chainId);
  assert.deepEqual(await snapshot(), before, 'the 50 tokens are back with the sender; B is unchanged');
  assert.equal((await gatewayOn(A).rtcOf(id)).status, 3n);
});

test('an async RTC to B is ACKed with its results and what the swap left comes back (bridgeBack)', async () => {
  const before = await snapshot();
  const rtc = {
    calls: [call(B, swapAddress, swap.interface.encodeFunctionData('swap', [tokenAddress, 30n, 0n, user.address]), carryT(80n, { bridgeBack: true }))],
    pipes: [],
    atomic: false,
    deadline: BigInt(Math.floor(Date.now() / 1000) + 3600),
  };
  const receipt = await (await gatewayA.sendRtc(rtc, { gasLimit: 2_000_000 })).wait();
  const id = rtcIdOf(receipt);
  const record = await rtcWhenSettled(A, id);
  assert.equal(record.status, 'ACK', JSON.stringify(record));
  assert.equal(coder.decode(['uint256'], record.results[0])[0], 60n);
  const after = await snapshot();
  assert.equal(after.userOnA, before.userOnA - 30n, 'only what the swap used left the sender');
  assert.equal(after.supplyA + after.supplyB + after.supplyC, before.supplyA + before.supplyB + before.supplyC, 'the books balance');
  assert.equal(after.gatewayOnB, before.gatewayOnB);
  assert.equal(after.allowanceOnB, 0n);
});

test('native value: a local call receives it, and a call on a chain whose gateway holds none is NACKed with the value back to the wei', async () => {
  const deposit = (vault) => vault.interface.encodeFunctionData('deposit', [user.address, 1n]);
  const receivedBefore = await vaultA.received();
  const local = { calls: [call(A, vaultAAddress, deposit(vaultA), { adapter: Adapter.Native, amount: 1000n })], pipes: [], atomic: true, deadline: 0n };
  const ok = await (await gatewayA.sendRtc(local, { value: 1000n, gasLimit: 1_000_000 })).wait();
  assert.equal((await getRtc(A, rtcIdOf(ok))).status, 'ACK');
  assert.equal(await vaultA.received(), receivedBefore + 1000n);
  assert.equal(await A.provider.getBalance(GATEWAY), 0n, 'the gateway keeps nothing');

  const balanceBefore = await A.provider.getBalance(user.address);
  const remote = { calls: [call(C, vaultCAddress, deposit(vaultC), { adapter: Adapter.Native, amount: 500n })], pipes: [], atomic: true, deadline: 0n };
  const nacked = await (await gatewayA.sendRtc(remote, { value: 500n, gasLimit: 1_000_000 })).wait();
  const record = await getRtc(A, rtcIdOf(nacked));
  assert.equal(record.status, 'NACK');
  assert.equal(record.reasonText, `Thalamus: the gateway on chain ${C.chainId} holds 0 of native value, a call carries 500`);
  assert.equal(await A.provider.getBalance(user.address), balanceBefore - nacked.fee, 'the sender paid the fee and nothing else');
  assert.equal(await A.provider.getBalance(GATEWAY), 0n);
});

test('ERC-721: a carried token the call leaves comes back to the sender, and one the destination gateway cannot release is NACKed and stays', async () => {
  const nft = await deploy('TestNft', user);
  const nftAddress = await nft.getAddress();
  const tokenId = await nft.mint.staticCall(user.address);
  await (await nft.mint(user.address)).wait();
  await (await nft.approve(GATEWAY, tokenId)).wait();
  const carry = { adapter: Adapter.ERC721, asset: nftAddress, amount: tokenId, beneficiary: vaultAAddress };
  const deposit = vaultA.interface.encodeFunctionData('deposit', [user.address, 1n]);

  const local = { calls: [call(A, vaultAAddress, deposit, carry)], pipes: [], atomic: true, deadline: 0n };
  const ok = await (await gatewayA.sendRtc(local, { gasLimit: 1_000_000 })).wait();
  assert.equal((await getRtc(A, rtcIdOf(ok))).status, 'ACK');
  assert.equal(await nft.ownerOf(tokenId), user.address, 'the vault did not take it: back with the sender');

  await (await nft.approve(GATEWAY, tokenId)).wait();
  const remote = { calls: [call(B, swapAddress, '0x', { ...carry, beneficiary: swapAddress })], pipes: [], atomic: true, deadline: 0n };
  const nacked = await (await gatewayA.sendRtc(remote, { gasLimit: 1_000_000 })).wait();
  const record = await getRtc(A, rtcIdOf(nacked));
  assert.equal(record.status, 'NACK');
  assert.equal(record.reasonText, `Thalamus: the gateway on chain ${B.chainId} holds no token ${tokenId} of ${nftAddress.toLowerCase()}`);
  assert.equal(await nft.ownerOf(tokenId), user.address, 'the escrow on A was undone');
});

test("an RTC's call comes from the executor, which no token or gateway trusts: minting a cluster token from it is NACKed", async () => {
  const before = await snapshot();
  const mint = tokenOn(B).interface.encodeFunctionData('crosschainMint', [user.address, 10n ** 30n]);
  const receipt = await (await gatewayA.sendRtc({ calls: [call(B, tokenAddress, mint)], pipes: [], atomic: true, deadline: 0n }, { gasLimit: 1_000_000 })).wait();
  const record = await getRtc(A, rtcIdOf(receipt));
  assert.equal(record.status, 'NACK');
  assert.equal(record.reasonText, 'ThalamusToken: only a bridge');
  assert.deepEqual(await snapshot(), before);
});

test('bad RTCs and messages are refused with the reason, and nothing is reserved', async () => {
  const before = await snapshot();
  const nextId = await gatewayOn(A).nextId();
  const swapCall = (chain, amount) => call(chain, swapAddress, swap.interface.encodeFunctionData('swap', [tokenAddress, amount, 0n, user.address]), carryT(amount));
  const cases = [
    [{ calls: [call({ chainId: 424242n }, swapAddress, '0x')], pipes: [], atomic: true, deadline: 0n }, 'Thalamus: chain 424242 is not a member of this cluster'],
    [{ calls: [swapCall(B, 1n)], pipes: [], atomic: false, deadline: 1n }, 'Thalamus: deadline 1 has passed'],
    [{ calls: [swapCall(B, supply * 2n)], pipes: [], atomic: true, deadline: 0n }, `the RTC carries ${supply * 2n}`],
    [{ calls: [swapCall(B, 1n), call(C, vaultCAddress, '0x')], pipes: [], atomic: false, deadline: 0n }, 'Thalamus: an async RTC\'s calls run on one destination chain'],
    [{ calls: [swapCall(B, 1n)], pipes: [{ fromCall: 0, word: 0, toCall: 0, offset: 0 }], atomic: true, deadline: 0n }, 'Thalamus: pipe 0 is out of range'],
  ];
  for (const [rtc, reason] of cases) {
    const error = await rejection(() => gatewayA.sendRtc.staticCall(rtc));
    assert.ok((error.reason ?? '').includes(reason), `want "${reason}": ${describeError(error)}`);
    // The same refusal as a transaction (gas given so it is sent): included, failed, nothing kept.
    const failed = await rejection(async () => (await gatewayA.sendRtc(rtc, { gasLimit: 1_000_000 })).wait());
    assert.equal(failed.receipt?.status, 0, describeError(failed));
  }
  const unsupported = await rejection(() => gatewayA.sendMessage.staticCall(interop(B.chainId, swapAddress), '0x', ['0x12345678']));
  assert.equal(unsupported.revert?.name, 'UnsupportedAttribute', describeError(unsupported));
  assert.equal(unsupported.revert?.args[0], '0x12345678');
  const toUnknown = await rejection(() => gatewayA.sendMessage.staticCall(interop(424242n, swapAddress), '0x', []));
  assert.ok(toUnknown.reason?.includes('Thalamus: chain 424242 is not a member of this cluster'), describeError(toUnknown));

  assert.deepEqual(await snapshot(), before, 'nothing reserved');
  assert.equal(await gatewayOn(A).nextId(), nextId, 'no RTC was created');
});

test('thalamus_getRtcs filters by sender, status and kind and pages with a cursor', async () => {
  const all = await A.provider.send('thalamus_getRtcs', [{ sender: user.address }]);
  assert.ok(all.rtcs.length >= 4);
  assert.ok(all.rtcs.every((r) => r.sender.toLowerCase() === user.address.toLowerCase()));
  const nacks = await A.provider.send('thalamus_getRtcs', [{ sender: user.address, status: 'NACK' }]);
  assert.equal(nacks.rtcs.length, 5, 'the failed swap (atomic), the failed swap (async), the native value and the ERC-721 without custody, the mint');
  assert.ok(nacks.rtcs.every((r) => r.status === 'NACK'));
  const asyncToB = await A.provider.send('thalamus_getRtcs', [{ atomic: false, destinationChainId: toBeHex(B.chainId) }]);
  assert.ok(asyncToB.rtcs.length >= 2 && asyncToB.rtcs.every((r) => !r.atomic));
  const first = await A.provider.send('thalamus_getRtcs', [{ sender: user.address, limit: 1 }]);
  assert.equal(first.rtcs.length, 1);
  assert.notEqual(first.nextCursor, null);
  const second = await A.provider.send('thalamus_getRtcs', [{ sender: user.address, limit: 1, cursor: first.nextCursor }]);
  assert.notEqual(second.rtcs[0].id, first.rtcs[0].id);
  assert.equal(all.rtcs[1].id, second.rtcs[0].id);
  const bad = await rejection(() => A.provider.send('thalamus_getRtcs', [{ status: 'DONE' }]));
  assert.match(bad.error?.message ?? bad.message, /unknown status "DONE"/);
  assert.equal(await getRtc(A, zeroPadValue('0x01', 32)), null);
  assert.ok(getBytes(all.rtcs[0].sentTransactionHash).length === 32);
});
