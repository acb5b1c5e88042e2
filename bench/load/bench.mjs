#!/usr/bin/env node
// The ERC-20 transfer load script, the same for every node: deploy the TestToken artifact, then
//   sequential: one transfer at a time, each sent and its receipt fetched before the next, by a
//               thin client (prepared bodies on one kept-alive connection, Node's http);
//   pipelined:  S senders with explicit nonces; each round is one JSON-RPC batch holding the
//               next transfer of every sender (ethers), rounds are sent back to back without
//               waiting for receipts, then all receipts are awaited. (One transfer per sender per
//               batch because Hardhat runs a batch's entries in any order and cannot queue a nonce
//               gap while automining: a sender's transfers must arrive in separate requests.)
//   batched:    the same rounds, but the JSON-RPC batch bodies are serialized before the clock
//               starts and posted as they are over one kept-alive HTTP connection, each batch
//               after the previous one's response; the clock stops when the last transfer of
//               every sender has a receipt. This measures the node, not ethers' per-call cost.
// Transactions are signed before the clock starts, so the figures measure the node, not the
// client's signing. Every receipt must have status 1 and the token balances must add up. A node
// that answers but stops mining what it accepted (no new receipt for 10 s) is reported as
// stalled in that phase; it is then mined by hand (evm_mine, untimed) before the next phase.
//
//   node bench.mjs --url http://127.0.0.1:8545 [--sequential 500] [--pipelined 2000] [--batched 4000] [--senders 32]
// Prints one JSON line with the results; exits non-zero on any failure.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ContractFactory, FetchRequest, HDNodeWallet, Interface, JsonRpcProvider, Mnemonic, Network, Wallet } from 'ethers';

const here = dirname(fileURLToPath(import.meta.url));
const MNEMONIC = 'test test test test test test test test test test test junk';
const GAS_LIMIT = 80_000n;

export const defaults = { sequential: 500, pipelined: 2000, batched: 4000, senders: 32, warmup: 600, timeoutSeconds: 120 };
const MAX_SENDERS = 256;

function devKey(index) {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MNEMONIC), `m/44'/60'/0'/0/${index}`).privateKey;
}

function loadArtifact(name) {
  return JSON.parse(readFileSync(join(here, '..', '..', 'contracts', 'artifacts', `${name}.json`), 'utf8'));
}

/**
 * A node that answers but stops mining transactions it accepted (anvil's automine can leave a
 * batch pending when it arrives while a block is being mined): reported as that node's stall.
 */
export class StallError extends Error {
  constructor(pending, total, seconds, lastProgressAt) {
    super(`the node stalled: ${pending} of ${total} accepted transfers still had no receipt after ${seconds} s without progress`);
    this.stalled = true;
    this.pending = pending;
    this.total = total;
    this.lastProgressAt = lastProgressAt;
  }
}

/** Seconds without a new receipt after which a node that still answers counts as stalled. */
const STALL_SECONDS = 10;

async function waitForReceipts(provider, hashes, deadline) {
  const receipts = new Map();
  let pending = [...hashes];
  let lastProgress = Date.now();
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pending.length} of ${hashes.length} receipts`);
    if (Date.now() - lastProgress > STALL_SECONDS * 1000) throw new StallError(pending.length, hashes.length, STALL_SECONDS, lastProgress);
    // Batched polls: ethers groups these concurrent calls into JSON-RPC batches.
    const chunk = pending.slice(0, 500);
    const results = await Promise.all(chunk.map((h) => provider.send('eth_getTransactionReceipt', [h])));
    chunk.forEach((h, i) => { if (results[i]) receipts.set(h, results[i]); });
    const before = pending.length;
    pending = pending.filter((h) => !receipts.has(h));
    if (pending.length < before) lastProgress = Date.now();
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 10));
  }
  return hashes.map((h) => receipts.get(h));
}

function checkReceipts(receipts, label) {
  const failed = receipts.filter((r) => r.status !== '0x1');
  if (failed.length > 0) throw new Error(`${label}: ${failed.length} transfer(s) failed, e.g. ${JSON.stringify(failed[0])}`);
}

const perTransfer = (ms, count) => (ms === null ? null : Number((ms / count).toFixed(3)));

/** POSTs a prepared JSON-RPC body on the kept-alive agent and returns the parsed response. */
export function postJson(url, agent, body, deadline) {
  return new Promise((resolve, reject) => {
    const timeout = Math.max(1, deadline - Date.now());
    const req = http.request(url, { method: 'POST', agent, timeout, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          reject(new Error(`HTTP ${res.statusCode}: unparsable response (${e.message})`));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Runs the benchmark against one node; returns the measured figures. options.cpuMs, if given,
 * returns the node's CPU time so far in ms (read around each timed phase).
 */
export async function runBenchmark(url, options = {}) {
  const o = { ...defaults, ...options };
  const deadline = Date.now() + o.timeoutSeconds * 1000;
  const probe = new JsonRpcProvider(url, undefined, { cacheTimeout: -1 });
  const chainId = BigInt(await probe.send('eth_chainId', []));
  probe.destroy();
  // A static network and no cache: no hidden eth_chainId calls, every read goes to the node.
  // Kept-alive connections, enough for every sender at once: the same client for every node.
  // One provider sends each call on its own (no batching delay), the other batches a round.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const request = new FetchRequest(url);
  request.getUrlFunc = FetchRequest.createGetUrlFunc({ agent });
  const common = { staticNetwork: Network.from(chainId), cacheTimeout: -1, pollingInterval: 10 };
  const provider = new JsonRpcProvider(request, Network.from(chainId), { ...common, batchMaxCount: 1 });
  const batcher = new JsonRpcProvider(request.clone(), Network.from(chainId), { ...common, batchMaxCount: o.senders, batchStallTime: 0 });
  const clientVersion = await provider.send('web3_clientVersion', []);

  const { abi, bytecode } = loadArtifact('TestToken');
  const token = new Interface(abi);
  const owner = new Wallet(devKey(0), provider);
  // Senders beyond the funded dev accounts (indexes 100+ of the same mnemonic), funded below.
  const senders = Array.from({ length: o.senders }, (_, i) => new Wallet(devKey(100 + i), provider));
  const recipient = Wallet.createRandom().address;

  const deployed = await new ContractFactory(abi, bytecode, owner).deploy(10n ** 30n);
  await deployed.waitForDeployment();
  const tokenAddress = await deployed.getAddress();

  // Fund the senders with tokens; fees are fixed from the current base fee with headroom.
  const block = await provider.getBlock('latest');
  const maxPriorityFeePerGas = 1_000_000_000n;
  const maxFeePerGas = block.baseFeePerGas * 3n + maxPriorityFeePerGas;
  const nonces = new Map();
  for (const wallet of [owner, ...senders]) nonces.set(wallet.address, await provider.getTransactionCount(wallet.address, 'latest'));

  async function sign(wallet, amount, to = recipient) {
    const nonce = nonces.get(wallet.address);
    nonces.set(wallet.address, nonce + 1);
    return wallet.signTransaction({
      type: 2, chainId, nonce, to: tokenAddress, gasLimit: GAS_LIMIT, maxFeePerGas, maxPriorityFeePerGas, value: 0n,
      data: token.encodeFunctionData('transfer', [to, amount]),
    });
  }
  async function signEther(wallet, to, value) {
    const nonce = nonces.get(wallet.address);
    nonces.set(wallet.address, nonce + 1);
    return wallet.signTransaction({ type: 2, chainId, nonce, to, gasLimit: 21_000n, maxFeePerGas, maxPriorityFeePerGas, value });
  }
  async function sendSequential(raws) {
    const hashes = [];
    for (const raw of raws) {
      if (Date.now() > deadline) throw new Error(`timed out after ${hashes.length} sequential transfers`);
      const hash = await provider.send('eth_sendRawTransaction', [raw]);
      const [receipt] = await waitForReceipts(provider, [hash], deadline);
      if (receipt.status !== '0x1') throw new Error(`sequential transfer ${hashes.length} failed: ${JSON.stringify(receipt)}`);
      hashes.push(hash);
    }
    return hashes;
  }
  async function sendPipelined(rounds, hashes = []) {
    // Each round is one JSON-RPC batch with at most one transfer per sender; rounds go back to
    // back, so every sender's nonces arrive in order; receipts are awaited at the end.
    for (const round of rounds) {
      if (Date.now() > deadline) throw new Error(`timed out after sending ${hashes.length} pipelined transfers`);
      hashes.push(...await Promise.all(round.map((raw) => batcher.send('eth_sendRawTransaction', [raw]))));
    }
    checkReceipts(await waitForReceipts(provider, hashes, deadline), 'pipelined');
    return hashes;
  }

  // Every sender gets ether for gas and enough tokens, in batches of one transaction per sender.
  const perSender = BigInt(o.pipelined + o.batched + o.warmup + o.sequential);
  const ethFunding = [];
  const tokenFunding = [];
  for (const sender of senders) ethFunding.push(await signEther(owner, sender.address, 10n ** 18n));
  for (const sender of senders) tokenFunding.push(await sign(owner, perSender, sender.address));
  await sendSequential([...ethFunding, ...tokenFunding]);

  function roundsOf(count) {
    const rounds = [];
    for (let i = 0; i < count; i += senders.length) rounds.push(senders.slice(0, Math.min(senders.length, count - i)));
    return rounds;
  }
  async function signRounds(count) {
    const rounds = [];
    for (const round of roundsOf(count)) {
      const raws = [];
      for (const sender of round) raws.push(await sign(sender, 1n));
      rounds.push(raws);
    }
    return rounds;
  }

  // The thin client: prepared JSON-RPC bodies posted on one kept-alive connection (Node's http),
  // no ethers provider in the timed loop, so that one-at-a-time measures the node, not ethers.
  const rawAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let nextId = 1;
  const body = (method, params) => JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params });
  async function call(method, params) {
    const response = await postJson(url, rawAgent, body(method, params), deadline);
    if (response.error) throw new Error(`${method}: ${JSON.stringify(response.error)}`);
    return response.result;
  }
  async function receiptOf(hash) {
    // Polled at once, then every millisecond: an automining node may mine after it answered.
    let lastProgress = Date.now();
    for (;;) {
      const receipt = await call('eth_getTransactionReceipt', [hash]);
      if (receipt) return receipt;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the receipt of ${hash}`);
      if (Date.now() - lastProgress > STALL_SECONDS * 1000) throw new StallError(1, 1, STALL_SECONDS);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  async function sendOneAtATime(raws) {
    // Each transfer is sent and its receipt fetched before the next is sent.
    for (let i = 0; i < raws.length; i++) {
      if (Date.now() > deadline) throw new Error(`timed out after ${i} one-at-a-time transfers`);
      const receipt = await receiptOf(await call('eth_sendRawTransaction', [raws[i]]));
      if (receipt.status !== '0x1') throw new Error(`one-at-a-time transfer ${i} failed: ${JSON.stringify(receipt)}`);
    }
  }

  // Warm-up (not timed): the same operations, so JIT compilers and caches are warm on every node.
  const warmSequential = Math.ceil(o.warmup / 2);
  const warmRaws = [];
  for (let i = 0; i < warmSequential; i++) warmRaws.push(await sign(senders[i % senders.length], 1n));
  await sendOneAtATime(warmRaws);
  const warmHashes = [];
  let warmupStall = null;
  try {
    await sendPipelined(await signRounds(o.warmup - warmSequential), warmHashes);
  } catch (error) {
    if (!error.stalled) throw error;
    warmupStall = error.message;
  }

  // Each timed phase: transfers signed before the clock starts; the node's CPU read around it.
  // A node that stops mining what it accepted is reported as stalled for that phase; it is then
  // mined by hand (evm_mine, untimed) so the next phases start from a clean pool, or they are skipped.
  const cpu = options.cpuMs ?? (() => null);
  const results = {};
  let signingMs = 0;
  let transferred = o.warmup;
  let broken = null;
  let failedPhase = null;
  let unmined = 0;
  async function phase(name, count, prepare, run) {
    if (broken || count === 0) {
      results[name] = { transfers: count, skipped: count === 0 ? 'not asked for' : `after the ${failedPhase ? 'failure' : 'stall'} in ${broken}` };
      return;
    }
    const signStart = performance.now();
    const prepared = await prepare();
    signingMs += performance.now() - signStart;
    const cpuStart = cpu();
    const start = performance.now();
    try {
      await run(prepared);
      const ms = performance.now() - start;
      const cpuMs = cpuStart === null ? null : cpu() - cpuStart;
      results[name] = { transfers: count, ms: Math.round(ms), perSecond: count / (ms / 1000), nodeCpuMsPerTransfer: perTransfer(cpuMs, count) };
    } catch (error) {
      if (!error.stalled && !o.peer) throw error;
      if (!error.stalled) {
        // A peer that refuses or loses a transfer (anvil after a stall: "nonce too low") fails that
        // phase, reported as its failure; the run goes on with the other nodes.
        results[name] = { transfers: count, failed: String(error.message ?? error).split('\n')[0].slice(0, 300), ms: Math.round(performance.now() - start) };
        failedPhase = name;
        broken = name;
        return;
      }
      results[name] = { transfers: count, stalled: error.message, pending: error.pending, ms: Math.round(performance.now() - start) };
      // What it managed until it stalled: the transfers with a receipt over the time to the last
      // progress seen. When the wait covered only the last transfer of each sender (batched), the
      // receipts are counted now (untimed) and the rate is an upper bound: some may have been
      // mined during the 10 s without progress.
      const sinceStart = error.lastProgressAt - (Date.now() - (performance.now() - start));
      let mined = count - error.pending;
      if (error.total !== count) {
        mined = 0;
        const hashes = prepared.hashes ?? [];
        for (let i = 0; i < hashes.length; i += 256) {
          const chunk = hashes.slice(i, i + 256).map((h, k) => ({ jsonrpc: '2.0', id: k, method: 'eth_getTransactionReceipt', params: [h] }));
          const responses = await postJson(url, rawAgent, JSON.stringify(chunk), deadline);
          mined += responses.filter((r) => r.result).length;
        }
        results[name].upperBound = true;
      }
      results[name].minedBeforeStall = mined;
      if (sinceStart > 0) results[name].perSecondUntilStall = mined / (sinceStart / 1000);
      const { neverMined, recovered } = await unstick(prepared.hashes ?? []);
      if (neverMined > 0) {
        results[name].neverMined = neverMined;
        unmined += neverMined;
      }
      if (!recovered) broken = name;
    }
    transferred += count;
  }
  /**
   * Mines by hand until the phase's transfers have receipts. What even that leaves pending is
   * dropped (anvil_dropAllTransactions) and the senders' nonces are read back from the chain, so
   * the next phases can still run. Returns how many never got a receipt and whether it recovered.
   */
  async function unstick(hashes) {
    for (let attempt = 0; attempt < 20 && hashes.length > 0; attempt++) {
      try {
        await call('evm_mine', []);
      } catch {
        break; // no evm_mine
      }
      const missing = [];
      for (const hash of hashes) if (!(await call('eth_getTransactionReceipt', [hash]))) missing.push(hash);
      hashes = missing;
    }
    if (hashes.length === 0) return { neverMined: 0, recovered: true };
    try {
      await call('anvil_dropAllTransactions', []);
    } catch {
      return { neverMined: hashes.length, recovered: false };
    }
    for (const wallet of [owner, ...senders]) nonces.set(wallet.address, Number(BigInt(await call('eth_getTransactionCount', [wallet.address, 'latest']))));
    return { neverMined: hashes.length, recovered: true };
  }

  if (warmupStall) {
    const { neverMined, recovered } = await unstick(warmHashes);
    results.warmup = { stalled: warmupStall, neverMined };
    unmined += neverMined;
    if (!recovered) broken = 'the warm-up';
  }

  // One at a time: round-robin over the senders; each transfer is mined before the next is sent.
  await phase('sequential', o.sequential, async () => {
    const raws = [];
    for (let i = 0; i < o.sequential; i++) raws.push(await sign(senders[i % senders.length], 1n));
    return raws;
  }, sendOneAtATime);

  // Pipelined (ethers, batching a round per request).
  await phase('pipelined', o.pipelined, async () => ({ rounds: await signRounds(o.pipelined), hashes: [] }), ({ rounds, hashes }) => sendPipelined(rounds, hashes));

  // Batched: the same rounds as JSON-RPC batch bodies prepared before the clock starts, posted
  // one after another on one kept-alive connection (a sender's nonces arrive in order).
  const batchedHashes = [];
  await phase('batched', o.batched, async () => {
    const batchRounds = await signRounds(o.batched);
    const bodies = batchRounds.map((round) => JSON.stringify(round.map((raw) => ({ jsonrpc: '2.0', id: nextId++, method: 'eth_sendRawTransaction', params: [raw] }))));
    return { batchRounds, bodies, hashes: batchedHashes };
  }, async ({ batchRounds, bodies, hashes }) => {
    const lastOfSender = new Map();
    for (let r = 0; r < bodies.length; r++) {
      if (Date.now() > deadline) throw new Error(`timed out after sending ${hashes.length} batched transfers`);
      const responses = await postJson(url, rawAgent, bodies[r], deadline);
      if (!Array.isArray(responses) || responses.length !== batchRounds[r].length) throw new Error(`batch ${r}: unexpected response ${JSON.stringify(responses).slice(0, 300)}`);
      responses.sort((a, b) => a.id - b.id);
      for (const [i, response] of responses.entries()) {
        if (response.error || typeof response.result !== 'string') throw new Error(`batch ${r}: transfer ${i} refused: ${JSON.stringify(response.error ?? response)}`);
        hashes.push(response.result);
        lastOfSender.set(i, response.result); // entry i of every round is sender i
      }
    }
    await waitForReceipts(provider, [...lastOfSender.values()], deadline);
  });
  // After the clock: every batched transfer succeeded.
  if (results.batched.perSecond !== undefined && !failedPhase) checkReceipts(await waitForReceipts(provider, batchedHashes, deadline), 'batched');
  rawAgent.destroy();

  // The books must balance: every transfer mined moved exactly one unit to the recipient (a
  // stalled node's never-mined transfers are reported with its stall, not counted).
  const received = BigInt(await provider.call({ to: tokenAddress, data: token.encodeFunctionData('balanceOf', [recipient]) }));
  // After a failed phase (a peer's) the number that went through is unknown: no balance check.
  if (failedPhase) results.balanceCheck = `skipped after the failure in ${failedPhase}`;
  else if (received > BigInt(transferred) || received < BigInt(transferred - unmined))
    throw new Error(`recipient holds ${received} tokens, expected ${transferred}${unmined ? ` less at most ${unmined} never mined` : ''}`);

  provider.destroy();
  batcher.destroy();
  agent.destroy();
  return { url, clientVersion, ...results, signingMs: Math.round(signingMs) };
}

export function parseOptions(argv) {
  const options = {};
  const names = { '--sequential': 'sequential', '--pipelined': 'pipelined', '--batched': 'batched', '--senders': 'senders', '--warmup': 'warmup', '--timeout': 'timeoutSeconds' };
  for (let i = 0; i < argv.length; i++) {
    const name = names[argv[i]];
    if (name) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < (['warmup', 'sequential', 'pipelined', 'batched'].includes(name) ? 0 : 1)) throw new Error(`${argv[i - 1]} needs a positive integer (0 skips a phase)`);
      options[name] = value;
    }
  }
  if (options.sequential > 100_000 || options.pipelined > 100_000 || options.batched > 100_000) throw new Error('at most 100000 transfers per phase');
  if (options.senders > MAX_SENDERS) throw new Error(`at most ${MAX_SENDERS} senders`);
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const urlIndex = argv.indexOf('--url');
  const url = urlIndex >= 0 ? argv[urlIndex + 1] : 'http://127.0.0.1:8545';
  try {
    console.log(JSON.stringify(await runBenchmark(url, parseOptions(argv))));
  } catch (error) {
    console.error(`bench: ${error.stack ?? error}`);
    process.exit(1);
  }
}
