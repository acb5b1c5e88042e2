#!/usr/bin/env node
// Starts `thalamus node --ephemeral --automine` and `hardhat node` on two free loopback ports,
// runs bench.mjs's ERC-20 transfer script against each in turn, prints transfers per second for
// both and the ratio, and stops both nodes (also on failure, Ctrl-C, or the overall time limit).
//
//   THALAMUS_CLI=/path/to/thalamus.dll node run.mjs [--sequential N] [--pipelined N] [--batched N] [--senders S] [--warmup N] [--timeout SECONDS]
// run.sh builds the CLI (Release) and sets THALAMUS_CLI.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaults, parseOptions, runBenchmark } from './bench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const options = { ...defaults, ...parseOptions(argv) };
const timeoutIndex = argv.indexOf('--timeout');
const overallSeconds = timeoutIndex >= 0 ? Number(argv[timeoutIndex + 1]) : 600;
const logDir = mkdtempSync(join(tmpdir(), 'thalamus-load-'));

const cli = process.env.THALAMUS_CLI;
if (!cli || !existsSync(cli)) {
  console.error(`run.mjs: set THALAMUS_CLI to the built thalamus.dll (run.sh does); got ${cli ?? 'nothing'}`);
  process.exit(2);
}
const hardhatCli = join(here, 'node_modules', 'hardhat', 'internal', 'cli', 'cli.js');
if (!existsSync(hardhatCli)) {
  console.error('run.mjs: hardhat is not installed in bench/load; run scripts/setup.sh (or npm ci in bench/load)');
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system, ms) of a process and all its descendants, from /proc (Linux only). */
function cpuMsOfTree(rootPid) {
  if (!existsSync('/proc/self/stat')) return null;
  const stats = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended while we looked.
    }
  }
  let ticks = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop();
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, stat] of stats) if (stat.ppid === pid) pending.push(child);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const children = [];
function start(name, command, args, cwd) {
  const log = join(logDir, `${name}.log`);
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(log);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  children.push({ name, child, log });
  return { child, log };
}

async function stopAll() {
  await Promise.all(children.map(async ({ child }) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([child.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
    if (!stopped) child.kill('SIGKILL');
  }));
}

async function rpc(url, method, params = []) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function waitReady(name, url, child, log) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it answered; see ${log}`);
    try {
      await rpc(url, 'eth_chainId');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${name} did not answer on ${url} within 90 s; see ${log}`);
}

const overall = setTimeout(async () => {
  console.error(`run.mjs: stopped by the ${overallSeconds} s time limit`);
  await stopAll();
  process.exit(1);
}, overallSeconds * 1000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, async () => { await stopAll(); process.exit(130); });

let exitCode = 0;
try {
  const [thalamusPort, hardhatPort] = [await freePort(), await freePort()];
  const thalamusUrl = `http://127.0.0.1:${thalamusPort}`;
  const hardhatUrl = `http://127.0.0.1:${hardhatPort}`;
  const thalamus = start('thalamus', 'dotnet', [cli, 'node', '--ephemeral', '--automine', '--port', String(thalamusPort), '--quiet'], tmpdir());
  const hardhat = start('hardhat', process.execPath, [hardhatCli, 'node', '--hostname', '127.0.0.1', '--port', String(hardhatPort)], here);
  await Promise.all([waitReady('thalamus node', thalamusUrl, thalamus.child, thalamus.log), waitReady('hardhat node', hardhatUrl, hardhat.child, hardhat.log)]);
  // hardhat node prints every request; switch that off so it is measured at its fastest.
  await rpc(hardhatUrl, 'hardhat_setLoggingEnabled', [false]);

  console.log(`ERC-20 transfers: ${options.sequential} sequential, ${options.pipelined} pipelined and ${options.batched} batched over ${options.senders} senders (one JSON-RPC batch per round), after ${options.warmup} warm-up transfers`);
  const results = {};
  for (const [name, url, child] of [['thalamus', thalamusUrl, thalamus.child], ['hardhat', hardhatUrl, hardhat.child]]) {
    results[name] = await runBenchmark(url, { ...options, timeoutSeconds: Math.max(30, overallSeconds / 2), cpuMs: () => cpuMsOfTree(child.pid) });
    console.log(`  ${name.padEnd(9)} ${results[name].clientVersion}`);
  }
  const fmt = (x) => x.toFixed(0).padStart(11);
  const ratio = (a, b) => `${(a / b).toFixed(1)}×`.padStart(11);
  const phases = ['sequential', 'pipelined', 'batched'];
  const head = (what) => `${''.padEnd(12)}${phases.map((p) => p.padStart(11)).join('')}   (${what})`;
  const t = results.thalamus;
  const h = results.hardhat;
  console.log('');
  console.log(head('transfers per second'));
  console.log(`${'thalamus'.padEnd(12)}${phases.map((p) => fmt(t[p].perSecond)).join('')}`);
  console.log(`${'hardhat'.padEnd(12)}${phases.map((p) => fmt(h[p].perSecond)).join('')}`);
  console.log(`${'ratio'.padEnd(12)}${phases.map((p) => ratio(t[p].perSecond, h[p].perSecond)).join('')}`);
  const cpu = (r) => `${(r.nodeCpuMsPerTransfer ?? NaN).toFixed(3)}`.padStart(11);
  console.log('');
  console.log(head("node CPU ms per transfer: where the node's own cost shows"));
  console.log(`${'thalamus'.padEnd(12)}${phases.map((p) => cpu(t[p])).join('')}`);
  console.log(`${'hardhat'.padEnd(12)}${phases.map((p) => cpu(h[p])).join('')}`);
  console.log(`${'ratio'.padEnd(12)}${phases.map((p) => ratio(h[p].nodeCpuMsPerTransfer, t[p].nodeCpuMsPerTransfer)).join('')}`);
  console.log('');
  console.log(JSON.stringify({ options, results }));
} catch (error) {
  console.error(`run.mjs: ${error.stack ?? error}`);
  for (const { name, log } of children) console.error(`  ${name} log: ${log}`);
  exitCode = 1;
} finally {
  clearTimeout(overall);
  await stopAll();
}
process.exit(exitCode);
