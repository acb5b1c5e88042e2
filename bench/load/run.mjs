#!/usr/bin/env node
// Starts `thalamus node --ephemeral --automine`, `hardhat node` and anvil on free loopback ports,
// runs bench.mjs's ERC-20 transfer script against each in turn (one at a time: the machine may
// have 2 cores), prints transfers per second for each and thalamus's ratio to each peer, and
// stops every node (also on failure, Ctrl-C, or the overall time limit). A peer that stalls (stops
// mining transfers it accepted) is reported as stalled for that phase, not waited for.
//
//   THALAMUS_CLI=/path/to/thalamus.dll node run.mjs [--sequential N] [--pipelined N] [--batched N] [--senders S] [--warmup N] [--peers hardhat,anvil] [--timeout SECONDS]
// run.sh builds the CLI (Release) and sets THALAMUS_CLI. The peer 'base' is a second thalamus build,
// THALAMUS_BASE_CLI=/other/thalamus.dll (e.g. the base commit's), to compare two builds in one run.
import { cpuMsOfTree, guard, logs, startNode, stopAll } from './nodes.mjs';
import { defaults, parseOptions, runBenchmark } from './bench.mjs';

const argv = process.argv.slice(2);
const options = { ...defaults, ...parseOptions(argv) };
const timeoutIndex = argv.indexOf('--timeout');
const overallSeconds = timeoutIndex >= 0 ? Number(argv[timeoutIndex + 1]) : 900;
const peersIndex = argv.indexOf('--peers');
const peers = (peersIndex >= 0 ? argv[peersIndex + 1] : 'hardhat,anvil').split(',').filter(Boolean);
for (const peer of peers) if (!['hardhat', 'anvil', 'base'].includes(peer)) throw new Error(`--peers: unknown peer ${peer} (hardhat, anvil, base)`);
if (peers.includes('base') && !process.env.THALAMUS_BASE_CLI) throw new Error('--peers base needs THALAMUS_BASE_CLI=/path/to/the other thalamus.dll');

const cancel = guard(overallSeconds, 'run.mjs');
let exitCode = 0;
try {
  // Every node is started first (each waits until it answers), then measured one after the other.
  const nodes = [];
  for (const kind of ['thalamus', ...peers])
    nodes.push(kind === 'base' ? await startNode('thalamus', [], { cli: process.env.THALAMUS_BASE_CLI, name: 'base' }) : await startNode(kind));

  console.log(`ERC-20 transfers: ${options.sequential} one at a time, ${options.pipelined} pipelined and ${options.batched} batched over ${options.senders} senders (one JSON-RPC batch per round), after ${options.warmup} warm-up transfers`);
  const results = {};
  for (const node of nodes) {
    // A peer's refused or lost transfers fail its phase (reported below); thalamus's fail the run.
    results[node.name] = await runBenchmark(node.url, { ...options, peer: ['hardhat', 'anvil'].includes(node.name), timeoutSeconds: Math.max(30, overallSeconds / (nodes.length + 1)), cpuMs: () => cpuMsOfTree(node.child.pid) });
    console.log(`  ${node.name.padEnd(9)} ${results[node.name].clientVersion}`);
  }
  const names = nodes.map((n) => n.name);
  const phases = ['sequential', 'pipelined', 'batched'];
  const cell = (text) => String(text).padStart(12);
  const head = (what) => `${''.padEnd(16)}${phases.map(cell).join('')}   (${what})`;
  const value = (r, pick, digits) => (r.stalled ? 'stalled' : r.failed ? 'failed' : r.skipped ? 'skipped' : pick(r).toFixed(digits));
  // A stalled phase has no rate to compare with: its rate until the stall is printed below it.
  const rate = (r) => r.perSecond;
  const ratio = (a, b) => (a === undefined || b === undefined || !Number.isFinite(a / b) ? '-' : `${(a / b).toFixed(1)}×`);
  const t = results.thalamus;
  console.log('');
  console.log(head('transfers per second'));
  for (const name of names) console.log(`${name.padEnd(16)}${phases.map((p) => cell(value(results[name][p], (r) => r.perSecond, 0))).join('')}`);
  // Against a peer that stalled, its rate until the stall is all it reached: the ratio to it is a lower bound (≥).
  const versus = (p, r) => (r.stalled && r.perSecondUntilStall && t[p].perSecond ? `≥${(t[p].perSecond / r.perSecondUntilStall).toFixed(1)}×` : ratio(t[p].perSecond, rate(r)));
  for (const peer of peers) console.log(`${`vs ${peer}`.padEnd(16)}${phases.map((p) => cell(versus(p, results[peer][p]))).join('')}`);
  console.log('');
  console.log(head("node CPU ms per transfer: where the node's own cost shows"));
  for (const name of names) console.log(`${name.padEnd(16)}${phases.map((p) => cell(value(results[name][p], (r) => r.nodeCpuMsPerTransfer ?? NaN, 3))).join('')}`);
  for (const peer of peers) console.log(`${`vs ${peer}`.padEnd(16)}${phases.map((p) => cell(ratio(results[peer][p].nodeCpuMsPerTransfer, t[p].nodeCpuMsPerTransfer))).join('')}`);
  for (const name of names)
    if (results[name].warmup) console.log(`${name} warm-up: ${results[name].warmup.stalled}; mined by hand or dropped afterwards (${results[name].warmup.neverMined} never mined)`);
  for (const name of names)
    for (const p of phases)
      if (results[name][p].failed) console.log(`${name} ${p}: failed: ${results[name][p].failed}; its later phases skipped`);
  for (const name of names)
    for (const p of phases)
      if (results[name][p].stalled)
        console.log(`${name} ${p}: ${results[name][p].stalled}${results[name][p].perSecondUntilStall ? ` (${results[name][p].minedBeforeStall} of ${results[name][p].transfers} mined before it, at ${results[name][p].upperBound ? 'at most ' : ''}${results[name][p].perSecondUntilStall.toFixed(0)} transfers/s)` : ''}; ${results[name][p].neverMined ? `${results[name][p].neverMined} were never mined, even by evm_mine, and were dropped (anvil_dropAllTransactions)` : 'mined by hand with evm_mine afterwards (untimed)'}`);
  console.log('');
  console.log(JSON.stringify({ options, results }));
} catch (error) {
  console.error(`run.mjs: ${error.stack ?? error}`);
  for (const { name, log } of logs()) console.error(`  ${name} log: ${log}`);
  exitCode = 1;
} finally {
  cancel();
  await stopAll();
}
process.exit(exitCode);
