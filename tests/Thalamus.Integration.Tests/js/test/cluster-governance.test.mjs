// Governance on a running devnet (docs/governance.md): Athena staked on the home chain (the first one)
// mints Hermes; an Agora proposal (a grant from the grant fund and a chain profile score) is proposed,
// voted, queued and executed with time travel (cluster_increaseTime: every member chain's clock, and a
// parent chain's when the devnet settles; the fixture's devnet has none), and the node reports it through
// governance_status / governance_decisions / governance_profileScore. Hermes, an ERC-7802 cluster token
// at 0x…70, then moves from the home chain to a second chain and back through the token bridge, the
// supply summed over every chain unchanged to the wei. Runs last: it moves the chains' clocks by days.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Contract, id as keccakText, keccak256, parseUnits, toUtf8Bytes } from 'ethers';
import { artifact, rejection } from '../lib/node.mjs';
import { bridge, clusterChains, messageWhen, sentMessageIds, wallet } from '../lib/cluster.mjs';

const HERMES = '0x4200000000000000000000000000000000000070';
const State = { Pending: 0n, Active: 1n, Succeeded: 4n, Queued: 5n, Executed: 7n };

const chains = await clusterChains();
const [home, second] = chains;
const status = await home.provider.send('governance_status', []);
const contracts = status.contracts;

// Accounts 8 and 9 stake and vote (no other test file stakes); account 6 receives the grant.
const alice = wallet(home, 8);
const bob = wallet(home, 9);
const grantee = wallet(home, 6);
const on = (name, address, runner) => new Contract(address, artifact(name).abi, runner);
const athena = (runner) => on('Athena', contracts.Athena, runner);
const staking = (runner) => on('AthenaStaking', contracts.AthenaStaking, runner);
const governor = (runner) => on('AgoraGovernor', contracts.AgoraGovernor, runner);
const hermes = (chain, runner = chain.provider) => on('Hermes', HERMES, runner);

/**
 * Moves every member chain's clock `seconds` forward (cluster_increaseTime, one call for the cluster), then mines a block on the home chain
 * (where governance's clock runs) at least `seconds` after its previous head: a burst of automined blocks can
 * be ahead of the clock, and then evm_setNextBlockTimestamp places the block.
 */
async function travel(seconds) {
  const before = (await home.provider.getBlock('latest')).timestamp;
  const offset = BigInt(await home.provider.send('cluster_increaseTime', [seconds]));
  assert.ok(offset >= BigInt(seconds), `cluster_increaseTime returned an offset of ${offset} s`);
  await home.provider.send('evm_mine', []);
  if ((await home.provider.getBlock('latest')).timestamp < before + seconds) {
    await home.provider.send('evm_setNextBlockTimestamp', [before + seconds]);
    await home.provider.send('evm_mine', []);
  }
  assert.ok((await home.provider.getBlock('latest')).timestamp >= before + seconds);
}

async function hermesEverywhere() {
  let total = 0n;
  for (const chain of chains) total += await hermes(chain).totalSupply();
  return total;
}

/** The custom error's name a reverting call gets (decoded with the contract's ABI, else with the timelock's it calls). */
async function errorName(contract, method, ...args) {
  const error = await rejection(() => contract[method].staticCall(...args));
  const data = error?.data ?? error?.info?.error?.data;
  return (contract.interface.parseError(data) ?? on('AgoraTimelock', contracts.AgoraTimelock).interface.parseError(data))?.name;
}

test('governance is on at the first chain, Hermes on every chain, the stack on the home chain only', async () => {
  assert.equal(status.enabled, true);
  assert.equal(BigInt(status.homeChainId), home.chainId);
  assert.deepEqual(status.members.map(BigInt), chains.map((c) => c.chainId));
  assert.equal(contracts.Hermes.toLowerCase(), HERMES);
  for (const name of ['Athena', 'AthenaStaking', 'AgoraGovernor', 'AgoraTimelock', 'GrantFund', 'ClusterDecisions']) {
    assert.notEqual(await home.provider.getCode(contracts[name]), '0x', name);
    assert.equal(await second.provider.getCode(contracts[name]), '0x', name);
  }
  for (const chain of chains) assert.equal(await hermes(chain).symbol(), 'HRM');
});

test('stake, propose a grant and a profile score, vote, queue and execute with time travel; the node reports the decision', async () => {
  // Staking mints 10 Hermes per Athena on the home chain.
  const stakes = [[alice, parseUnits('3000000', 18)], [bob, parseUnits('2000000', 18)]];
  for (const [who, amount] of stakes) {
    const before = await hermes(home).balanceOf(who.address);
    await (await athena(who).approve(contracts.AthenaStaking, amount)).wait();
    await (await staking(who).stake(amount)).wait();
    assert.equal(await hermes(home).balanceOf(who.address), before + amount * 10n);
  }
  await travel(5);

  // The grant fund holds Hermes (anyone may pay into it); only an Agora vote spends it.
  const amount = parseUnits('400', 18);
  await (await hermes(home, alice).transfer(contracts.GrantFund, amount * 2n)).wait();
  const grantFund = on('GrantFund', contracts.GrantFund, alice);
  assert.equal(await errorName(grantFund, 'grant', alice.address, amount, 'self'), 'GrantNotAgora');

  const scoreKey = keccakText('decentralisation');
  const score = 7_700n + BigInt(Date.now() % 1000);
  const targets = [contracts.GrantFund, contracts.ClusterDecisions];
  const calldatas = [
    grantFund.interface.encodeFunctionData('grant', [grantee.address, amount, 'js grant']),
    on('ClusterDecisions', contracts.ClusterDecisions).interface.encodeFunctionData('setProfileScore', [second.chainId, scoreKey, score]),
  ];
  const values = [0n, 0n];
  const description = `js: grant 400 HRM and decentralisation ${score} for chain ${second.chainId} (${Date.now()})`;
  const descriptionHash = keccak256(toUtf8Bytes(description));
  const proposalId = await governor(home.provider).hashProposal(targets, values, calldatas, descriptionHash);
  await (await governor(alice).propose(targets, values, calldatas, description)).wait();
  assert.equal(await governor(home.provider).state(proposalId), State.Pending);

  await travel(5);
  assert.equal(await governor(home.provider).state(proposalId), State.Active);
  await (await governor(alice).castVote(proposalId, 1)).wait();
  await (await governor(bob).castVote(proposalId, 1)).wait();
  assert.equal(await errorName(governor(bob), 'castVote', proposalId, 1), 'GovernorAlreadyCastVote');

  const votingPeriod = await governor(home.provider).votingPeriod();
  await travel(Number(votingPeriod) + 10);
  assert.equal(await governor(home.provider).state(proposalId), State.Succeeded);
  assert.equal(await errorName(governor(bob), 'castVote', proposalId, 1), 'GovernorUnexpectedProposalState');
  await (await governor(alice).queue(targets, values, calldatas, descriptionHash)).wait();
  assert.equal(await governor(home.provider).state(proposalId), State.Queued);
  // Before the timelock's delay the execution is refused.
  assert.equal(await errorName(governor(alice), 'execute', targets, values, calldatas, descriptionHash), 'TimelockUnexpectedOperationState');

  const delay = await on('AgoraTimelock', contracts.AgoraTimelock, home.provider).getMinDelay();
  await travel(Number(delay) + 10);
  const [fundBefore, granteeBefore] = [await hermes(home).balanceOf(contracts.GrantFund), await hermes(home).balanceOf(grantee.address)];
  const executed = await (await governor(alice).execute(targets, values, calldatas, descriptionHash, { gasLimit: 5_000_000 })).wait();
  assert.equal(executed.status, 1);
  assert.equal(await governor(home.provider).state(proposalId), State.Executed);
  assert.equal(await hermes(home).balanceOf(contracts.GrantFund), fundBefore - amount);
  assert.equal(await hermes(home).balanceOf(grantee.address), granteeBefore + amount);

  // The node indexed the decision at the executing slot's commit.
  let decision;
  for (let i = 0; i < 200 && decision === undefined; i++) {
    const decisions = await home.provider.send('governance_decisions', []);
    decision = decisions.find((d) => d.transactionHash === executed.hash);
    if (decision === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(decision, `no decision for ${executed.hash}`);
  assert.equal(decision.kind, 'profilescore');
  assert.equal(decision.status, 'carried');
  assert.equal(BigInt(decision.chainId), second.chainId);
  assert.equal(decision.key, scoreKey);
  assert.equal(BigInt(decision.value), score);
  assert.equal(BigInt(await home.provider.send('governance_profileScore', [`0x${second.chainId.toString(16)}`, scoreKey])), score);
  const after = await home.provider.send('governance_status', []);
  assert.ok(BigInt(after.decisions) >= BigInt(decision.index) + 1n);
});

test('Hermes moves from the home chain to a second chain and back; the supply over every chain is unchanged to the wei', async () => {
  const total = await hermesEverywhere();
  const out = parseUnits('1234.567890123456789', 18);
  const back = parseUnits('234.000000000000000001', 18);
  const [homeBefore, secondBefore] = [await hermes(home).balanceOf(alice.address), await hermes(second).balanceOf(alice.address)];

  const sent = await (await bridge(alice).sendERC20(HERMES, alice.address, out, second.chainId)).wait();
  await messageWhen(home, sentMessageIds(sent)[0], 'relayed');
  assert.equal(await hermes(home).balanceOf(alice.address), homeBefore - out);
  assert.equal(await hermes(second).balanceOf(alice.address), secondBefore + out);
  assert.equal(await hermesEverywhere(), total);

  const returned = await (await bridge(wallet(second, 8)).sendERC20(HERMES, alice.address, back, home.chainId)).wait();
  await messageWhen(second, sentMessageIds(returned)[0], 'relayed');
  assert.equal(await hermes(home).balanceOf(alice.address), homeBefore - out + back);
  assert.equal(await hermes(second).balanceOf(alice.address), secondBefore + out - back);
  assert.equal(await hermesEverywhere(), total);

  // Only the bridge mints or burns across chains.
  assert.equal(await errorName(hermes(second, wallet(second, 8)), 'crosschainMint', alice.address, 1n), 'HermesNotBridge');
});
