// Starting and stopping the nodes a benchmark compares (thalamus node, a Hardhat node, anvil),
// all on free loopback ports, with their logs in a temporary folder. Shared by bench/load/run.mjs
// and bench/ethcall/run.mjs. Every child is stopped by stopAll (SIGTERM, then SIGKILL after 10 s).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const logDir = mkdtempSync(join(tmpdir(), 'thalamus-bench-'));
const children = [];

export function freePort() {
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
export function cpuMsOfTree(rootPid) {
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

function start(name, command, args, cwd) {
  const log = join(logDir, `${name}.log`);
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(log);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  children.push({ name, child, log });
  return { name, child, log };
}

export function logs() {
  return children.map(({ name, log }) => ({ name, log }));
}

export async function stopAll() {
  await Promise.all(children.map(async ({ child }) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([child.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
    if (!stopped) child.kill('SIGKILL');
  }));
}

export async function rpc(url, method, params = []) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function waitReady(node, url) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (node.child.exitCode !== null) throw new Error(`${node.name} exited with code ${node.child.exitCode} before it answered; see ${node.log}`);
    try {
      await rpc(url, 'eth_chainId');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${node.name} did not answer on ${url} within 90 s; see ${node.log}`);
}

/** The anvil binary of the @foundry-rs/anvil npm package (its platform package), or null. */
function anvilBinary() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  const binary = join(here, 'node_modules', '@foundry-rs', `anvil-${os}-${arch}`, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  return existsSync(binary) ? binary : null;
}

/**
 * Starts one node on a free loopback port and waits until it answers: kind is 'thalamus'
 * (THALAMUS_CLI = the built thalamus.dll, or options.cli), 'hardhat' or 'anvil' (both from
 * bench/load's npm packages). extraArgs go to the node's command line; options.name names its
 * log (default: the kind). Returns { name, url, child, log }.
 */
export async function startNode(kind, extraArgs = [], options = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let node;
  if (kind === 'thalamus') {
    const cli = options.cli ?? process.env.THALAMUS_CLI;
    if (!cli || !existsSync(cli)) throw new Error(`set THALAMUS_CLI to the built thalamus.dll (run.sh does); got ${cli ?? 'nothing'}`);
    node = start(options.name ?? 'thalamus', 'dotnet', [cli, 'node', '--ephemeral', '--automine', '--port', String(port), '--quiet', ...extraArgs], tmpdir());
  } else if (kind === 'hardhat') {
    const hardhatCli = join(here, 'node_modules', 'hardhat', 'internal', 'cli', 'cli.js');
    if (!existsSync(hardhatCli)) throw new Error('hardhat is not installed in bench/load; run scripts/setup.sh (or npm ci in bench/load)');
    node = start('hardhat', process.execPath, [hardhatCli, 'node', '--hostname', '127.0.0.1', '--port', String(port), ...extraArgs], here);
  } else if (kind === 'anvil') {
    const binary = anvilBinary();
    if (!binary) throw new Error('anvil is not installed in bench/load (@foundry-rs/anvil); run scripts/setup.sh (or npm ci in bench/load)');
    node = start('anvil', binary, ['--host', '127.0.0.1', '--port', String(port), '--silent', ...extraArgs], here);
  } else {
    throw new Error(`unknown node kind ${kind}`);
  }
  await waitReady(node, url);
  // hardhat node prints every request; switch that off so it is measured at its fastest.
  if (kind === 'hardhat') await rpc(url, 'hardhat_setLoggingEnabled', [false]);
  return { ...node, url };
}

/** Stops every node at the overall time limit, on Ctrl-C and on SIGTERM. Returns a cancel function. */
export function guard(overallSeconds, label) {
  const overall = setTimeout(async () => {
    console.error(`${label}: stopped by the ${overallSeconds} s time limit`);
    await stopAll();
    process.exit(1);
  }, overallSeconds * 1000);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, async () => { await stopAll(); process.exit(130); });
  return () => clearTimeout(overall);
}
