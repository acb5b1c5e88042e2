// A cluster token: the same init code deployed through the CREATE2 deployer on every chain lands at
// the same address; the supply is minted on its home chain A only; the bridge predeploy burns on
// the source and the messenger mints on the destination, so the total across chains never changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Contract, parseUnits } from 'ethers';
import { artifact } from '../lib/node.mjs';
import { bridge, clusterChains, create2, initCode, messageWhen, sentMessageIds, wallet } from '../lib/cluster.mjs';

const chains = await clusterChains();
const [A, B, C] = chains;
const supply = parseUnits('1000000', 18);
const holder = wallet(A, 3);
const bob = wallet(B, 4);
const carol = wallet(C, 5);
const code = initCode('ClusterToken', 'Cluster Token', 'CLT', holder.address, supply, A.chainId);
const salt = 0x7e57n;

const addresses = [];
for (const chain of chains) addresses.push(await create2(wallet(chain, 3), salt, code));
const address = addresses[0];
const tokenOn = (chain, runner = chain.provider) => new Contract(address, artifact('ClusterToken').abi, runner);

async function totalAcrossChains() {
  let total = 0n;
  for (const chain of chains) total += await tokenOn(chain).totalSupply();
  return total;
}

test('CREATE2 puts the token at the same address with the same code on every chain', async () => {
  assert.ok(addresses.every((a) => a === address), addresses.join(', '));
  const codes = await Promise.all(chains.map((c) => c.provider.getCode(address)));
  assert.notEqual(codes[0], '0x');
  assert.ok(codes.every((c) => c === codes[0]));
  assert.equal(await tokenOn(A).symbol(), 'CLT');
});

test('the initial supply exists on the home chain only', async () => {
  assert.equal(await tokenOn(A).totalSupply(), supply);
  assert.equal(await tokenOn(A).balanceOf(holder.address), supply);
  assert.equal(await tokenOn(B).totalSupply(), 0n);
  assert.equal(await tokenOn(C).totalSupply(), 0n);
});

test('sendERC20 A -> B burns on A, mints on B, supply conserved', async () => {
  const amount = parseUnits('250', 18);
  const receipt = await (await bridge(holder).sendERC20(address, bob.address, amount, B.chainId)).wait();
  assert.equal(receipt.status, 1);
  const [id] = sentMessageIds(receipt);
  const message = await messageWhen(A, id, 'relayed');
  assert.equal(BigInt(message.destinationChainId), B.chainId);

  assert.equal(await tokenOn(A).balanceOf(holder.address), supply - amount);
  assert.equal(await tokenOn(A).totalSupply(), supply - amount);
  assert.equal(await tokenOn(B).balanceOf(bob.address), amount);
  assert.equal(await tokenOn(B).totalSupply(), amount);
  assert.equal(await totalAcrossChains(), supply);

  // The delivery on B emitted RelayedERC20 from the bridge with the source chain.
  const delivery = await B.provider.getTransactionReceipt(message.deliveryTransactionHash);
  const relayed = delivery.logs.filter((l) => l.address.toLowerCase() === (bridge(null).target).toLowerCase())
    .map((l) => bridge(null).interface.parseLog(l)).filter((p) => p?.name === 'RelayedERC20');
  assert.equal(relayed.length, 1);
  assert.equal(relayed[0].args.to, bob.address);
  assert.equal(relayed[0].args.amount, amount);
  assert.equal(relayed[0].args.source, A.chainId);
});

test('onward B -> C and back C -> A: balances follow, supply conserved at every step', async () => {
  const toCarol = parseUnits('100', 18);
  const r1 = await (await bridge(bob).sendERC20(address, carol.address, toCarol, C.chainId)).wait();
  await messageWhen(B, sentMessageIds(r1)[0], 'relayed');
  assert.equal(await tokenOn(B).balanceOf(bob.address), parseUnits('150', 18));
  assert.equal(await tokenOn(C).balanceOf(carol.address), toCarol);
  assert.equal(await totalAcrossChains(), supply);

  const back = parseUnits('40', 18);
  const r2 = await (await bridge(carol).sendERC20(address, holder.address, back, A.chainId)).wait();
  await messageWhen(C, sentMessageIds(r2)[0], 'relayed');
  assert.equal(await tokenOn(C).balanceOf(carol.address), toCarol - back);
  assert.equal(await tokenOn(A).balanceOf(holder.address), supply - parseUnits('250', 18) + back);
  assert.equal(await totalAcrossChains(), supply);
});

test('sending more than the balance reverts on the source and moves nothing', async () => {
  const before = await Promise.all(chains.map((c) => tokenOn(c).totalSupply()));
  let failed = false;
  try {
    await (await bridge(carol).sendERC20(address, bob.address, parseUnits('1000', 18), B.chainId)).wait();
  } catch (error) {
    failed = error.code === 'CALL_EXCEPTION';
  }
  assert.ok(failed, 'the oversized transfer must revert');
  const after = await Promise.all(chains.map((c) => tokenOn(c).totalSupply()));
  assert.deepEqual(after, before);
});

test('only the bridge can mint or burn', async () => {
  let failed = false;
  try {
    await (await tokenOn(B, bob).crosschainMint(bob.address, 1n)).wait();
  } catch (error) {
    failed = error.code === 'CALL_EXCEPTION';
  }
  assert.ok(failed);
  assert.equal(await totalAcrossChains(), supply);
});
