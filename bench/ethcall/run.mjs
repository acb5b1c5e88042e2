#!/usr/bin/env node
// eth_call speed against anvil: the standard EVM benchmark programs (evm-benchmarks, as evmone
// runs them) through JSON-RPC on `thalamus node` and anvil, in one run. Each program's runtime
// code is put at its own address with anvil_setCode (hardhat_setCode is the same method on
// thalamus), every case's output is checked against expected-outputs (or, for the programs that
// have no inputs file, against the other node's answer), and the per-case ratio (anvil's median
// time / thalamus's) and the geometric means are printed.
//
//   THALAMUS_CLI=/path/to/thalamus.dll node run.mjs [--samples N] [--case-seconds S] [--filter TEXT] [--timeout SECONDS]
// run.sh builds the CLI (Release) and sets THALAMUS_CLI. THALAMUS_BASE_CLI=/other/thalamus.dll adds
// a second thalamus build (e.g. the base commit's) as a third node in the same interleaved run, with
// its median and the ratio base / new per case. Loopback only; bounded by --timeout.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postJson } from '../load/bench.mjs';
import { guard, logs, rpc, startNode, stopAll } from '../load/nodes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
function option(name, fallback) {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
}
const samples = Number(option('--samples', '15'));
const caseSeconds = Number(option('--case-seconds', '4'));
const filter = option('--filter', '');
const overallSeconds = Number(option('--timeout', '900'));
if (!Number.isInteger(samples) || samples < 1 || samples > 1000) throw new Error('--samples must be 1 to 1000');
if (!(caseSeconds > 0 && caseSeconds <= 120)) throw new Error('--case-seconds must be in (0, 120]');

// Gas for every call: snailtracer needs 166M; thalamus is started with a call gas cap above it.
const CALL_GAS = 1_000_000_000;
const MAIN = ['snailtracer', 'weierstrudel', 'sha1', 'blake2b'];

function dataRoot() {
  const fromEnv = process.env.THALAMUS_CONFORMANCE_DIR;
  if (fromEnv) return join(fromEnv, 'evm-benchmarks');
  return join(here, '..', '..', '..', 'shared', 'conformance', 'evm-benchmarks');
}

/** evmone's hex with run-length groups: (NxHEX) is HEX repeated N times. */
function repeatedHex(text) {
  return text.replace(/\s+/g, '').replace(/\((\d+)x([0-9a-fA-F]*)\)/g, (_, n, unit) => unit.repeat(Number(n))).toLowerCase();
}

/** Every case: { name, program, code, input, expected (hex or null: compare the nodes) }. */
function loadCases() {
  const root = dataRoot();
  if (!existsSync(root)) throw new Error(`evm-benchmarks not found at ${root} (set THALAMUS_CONFORMANCE_DIR)`);
  const cases = [];
  const snail = JSON.parse(readFileSync(join(root, 'benchmarks', 'main', 'snailtracer.json'), 'utf8'));
  const test = Object.values(snail)[0];
  const to = test.transaction.to.toLowerCase();
  const account = Object.entries(test.pre).find(([address]) => address.toLowerCase() === to)[1];
  cases.push({ name: 'snailtracer/benchmark', program: 'snailtracer', code: account.code.slice(2).toLowerCase(), input: test.transaction.data[0].slice(2), expected: null });
  for (const folder of ['main', 'micro']) {
    const dir = join(root, 'expected-outputs', folder);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.bin-runtime')).sort()) {
      const program = file.slice(0, -'.bin-runtime'.length);
      const code = repeatedHex(readFileSync(join(dir, file), 'utf8'));
      const prefix = folder === 'micro' ? 'micro/' : '';
      const inputs = join(dir, `${program}.inputs`);
      if (!existsSync(inputs)) {
        cases.push({ name: `${prefix}${program}/empty`, program: prefix + program, code, input: '', expected: null });
        continue;
      }
      // Blocks of three lines (label, input, expected output) separated by blank lines.
      const lines = readFileSync(inputs, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (lines[i].trim() === '') continue;
        cases.push({ name: `${prefix}${program}/${lines[i].trim()}`, program: prefix + program, code, input: repeatedHex(lines[i + 1] ?? ''), expected: repeatedHex(lines[i + 2] ?? '') });
        i += 2;
      }
    }
  }
  return cases.filter((c) => c.name.includes(filter));
}

/** One JSON-RPC client per node: one kept-alive connection, the body prepared before the clock starts. */
function client(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    post(body) {
      return postJson(url, agent, body, Date.now() + 120_000);
    },
    close() { agent.destroy(); },
  };
}

/** The outcome of a call as comparable text: the output, or the error's message and data. */
const outcome = (response) => (response.error ? `error: ${response.error.message}${response.error.data ? ` ${response.error.data}` : ''}` : response.result.toLowerCase());

async function timeOne(node, body) {
  const start = process.hrtime.bigint();
  const response = await node.client.post(body);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, response };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

const cancel = guard(overallSeconds, 'ethcall');
let exitCode = 0;
try {
  const cases = loadCases();
  if (cases.length === 0) throw new Error(`no case matches --filter ${filter}`);
  const nodes = [
    { kind: 'thalamus', ...(await startNode('thalamus', ['--rpc-gas-cap', String(CALL_GAS)])) },
    { kind: 'anvil', ...(await startNode('anvil')) },
  ];
  // A second thalamus build (THALAMUS_BASE_CLI), measured in the same interleaved rounds.
  const baseCli = process.env.THALAMUS_BASE_CLI;
  if (baseCli) nodes.push({ kind: 'base', ...(await startNode('thalamus', ['--rpc-gas-cap', String(CALL_GAS)], { cli: baseCli, name: 'thalamus-base' })) });
  for (const node of nodes) {
    node.client = client(node.url);
    node.version = await rpc(node.url, 'web3_clientVersion');
  }

  // One address per program; the same addresses on both nodes.
  const programs = [...new Set(cases.map((c) => c.program))];
  const addressOf = new Map(programs.map((p, i) => [p, `0xc0de${(i + 1).toString(16).padStart(36, '0')}`]));
  for (const node of nodes)
    for (const program of programs)
      await rpc(node.url, 'anvil_setCode', [addressOf.get(program), `0x${cases.find((c) => c.program === program).code}`]);
  const emptyAddress = '0x00000000000000000000000000000000000e4e47';

  console.log(`eth_call on ${cases.length} evm-benchmarks cases, median of up to ${samples} calls per node and case (interleaved), gas ${CALL_GAS}`);
  for (const node of nodes) console.log(`  ${node.kind.padEnd(9)} ${node.version}`);
  console.log('');
  console.log(`${'case'.padEnd(40)}${'thalamus ms'.padStart(13)}${'anvil ms'.padStart(11)}${'ratio'.padStart(9)}${baseCli ? `${'base ms'.padStart(11)}${'base/new'.padStart(10)}` : ''}`);

  const rows = [];
  const measure = async (name, call, expected) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [call, 'latest'] });
    // Warm-up (and the output check): JIT and caches on both nodes. .NET compiles a method
    // optimized only after it has run a while, so each case warms up for at least 3 calls and
    // 0.3 s per node (at most 1,000 calls; with 50, a case of 0.3 ms warmed up for only 15 ms), as a
    // long-running node would be.
    const answers = [];
    for (const node of nodes) {
      const warmUntil = Date.now() + 300;
      let response;
      for (let i = 0; i < 1000 && (i < 3 || Date.now() < warmUntil); i++) ({ response } = await timeOne(node, body));
      answers.push(outcome(response));
    }
    const failures = [];
    if (expected !== null && answers[0] !== `0x${expected}`) failures.push(`thalamus returned ${answers[0].slice(0, 80)}, expected 0x${expected.slice(0, 78)}`);
    if (expected !== null && answers[1] !== `0x${expected}`) failures.push(`anvil returned ${answers[1].slice(0, 80)}, expected 0x${expected.slice(0, 78)}`);
    if (expected === null && answers[0].startsWith('0x') !== answers[1].startsWith('0x')) failures.push(`thalamus: ${answers[0].slice(0, 80)}; anvil: ${answers[1].slice(0, 80)}`);
    if (expected === null && answers[0].startsWith('0x') && answers[0] !== answers[1]) failures.push(`outputs differ: thalamus ${answers[0].slice(0, 60)}, anvil ${answers[1].slice(0, 60)}`);
    if (answers.length > 2 && answers[2] !== answers[0]) failures.push(`base build returned ${answers[2].slice(0, 60)}, thalamus ${answers[0].slice(0, 60)}`);
    const times = nodes.map(() => []);
    const until = Date.now() + caseSeconds * 1000 * nodes.length;
    for (let i = 0; i < samples && (i < 3 || Date.now() < until); i++)
      for (const [k, node] of nodes.entries()) times[k].push((await timeOne(node, body)).ms);
    const [t, a, b] = times.map(median);
    const row = { name, thalamusMs: t, anvilMs: a, ratio: a / t, samples: times[0].length, ok: failures.length === 0, failures, outcome: answers[0].slice(0, 66) };
    if (b !== undefined) Object.assign(row, { baseMs: b, baseRatio: b / t });
    rows.push(row);
    const baseText = b === undefined ? '' : `${b.toFixed(3).padStart(11)}${`${row.baseRatio.toFixed(2)}×`.padStart(10)}`;
    console.log(`${name.padEnd(40)}${t.toFixed(3).padStart(13)}${a.toFixed(3).padStart(11)}${`${row.ratio.toFixed(2)}×`.padStart(9)}${baseText}${row.ok ? '' : `  FAILED: ${failures.join('; ')}`}`);
    return row;
  };

  // Global warm-up: the JSON-RPC and eth_call paths of both nodes are compiled before anything is
  // timed, the empty call's and a call that runs code (MSTORE 1, RETURN 32 bytes): without the
  // latter the first cases of a run were the first calls into code on thalamus, still partly
  // running code .NET had not yet recompiled optimized.
  const warmCodeAddress = '0x00000000000000000000000000000000000e4e48';
  for (const node of nodes) await rpc(node.url, 'anvil_setCode', [warmCodeAddress, '0x600160005260206000f3']);
  const warmBodies = [emptyAddress, warmCodeAddress].map((to) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to, data: '0x' }, 'latest'] }));
  for (let i = 0; i < 300; i++) for (const node of nodes) for (const warmBody of warmBodies) await node.client.post(warmBody);

  const gas = `0x${CALL_GAS.toString(16)}`;
  const caseRows = [];
  for (const c of cases) caseRows.push(await measure(c.name, { to: addressOf.get(c.program), data: `0x${c.input}`, gas }, c.expected));
  // The floor, measured last, when both nodes are warmest.
  const empty = await measure('(empty call: no code)', { to: emptyAddress, data: '0x', gas }, '');

  const main = caseRows.filter((r) => MAIN.some((m) => r.name.startsWith(m)));
  const summary = {
    cases: caseRows.length,
    failed: caseRows.filter((r) => !r.ok).map((r) => r.name),
    slowerThanAnvil: caseRows.filter((r) => r.ratio < 1).map((r) => `${r.name} ${r.ratio.toFixed(2)}×`),
    geomeanAll: geomean(caseRows.map((r) => r.ratio)),
    geomeanMain: main.length ? geomean(main.map((r) => r.ratio)) : null,
    emptyCallMs: { thalamus: empty.thalamusMs, anvil: empty.anvilMs },
  };
  if (baseCli) {
    summary.emptyCallMs.base = empty.baseMs;
    summary.baseSlowerThanAnvil = caseRows.filter((r) => r.baseMs > r.anvilMs).map((r) => `${r.name} ${(r.anvilMs / r.baseMs).toFixed(2)}×`);
    summary.geomeanBaseOverNew = geomean(caseRows.map((r) => r.baseRatio));
  }
  const zeros = caseRows.find((r) => r.name === 'micro/zeros_0xffff/empty');
  if (zeros) summary.zerosOverEmptyMs = { thalamus: zeros.thalamusMs - empty.thalamusMs, anvil: zeros.anvilMs - empty.anvilMs };
  console.log('');
  console.log(`geometric mean of the ratios: all ${summary.geomeanAll.toFixed(2)}×${summary.geomeanMain === null ? '' : `, main cases (${MAIN.join(', ')}) ${summary.geomeanMain.toFixed(2)}×`}`);
  console.log(`cases slower than anvil: ${summary.slowerThanAnvil.length === 0 ? 'none' : summary.slowerThanAnvil.join(', ')}`);
  if (baseCli) {
    console.log(`base build: cases slower than anvil: ${summary.baseSlowerThanAnvil.length === 0 ? 'none' : summary.baseSlowerThanAnvil.join(', ')}`);
    console.log(`base / new, geometric mean: ${summary.geomeanBaseOverNew.toFixed(2)}× (above 1: the new build is faster); empty call ${empty.baseMs.toFixed(3)} ms (base) vs ${empty.thalamusMs.toFixed(3)} ms (new)`);
  }
  if (summary.zerosOverEmptyMs) console.log(`65,535 zero bytes over an empty call: thalamus ${summary.zerosOverEmptyMs.thalamus.toFixed(3)} ms, anvil ${summary.zerosOverEmptyMs.anvil.toFixed(3)} ms`);
  console.log(`outputs: ${summary.failed.length === 0 ? 'all as expected' : `${summary.failed.length} wrong: ${summary.failed.join(', ')}`}`);
  console.log(JSON.stringify({ summary, rows: [empty, ...caseRows] }));
  for (const node of nodes) node.client.close();
  if (summary.failed.length > 0) exitCode = 1;
} catch (error) {
  console.error(`ethcall: ${error.stack ?? error}`);
  for (const { name, log } of logs()) console.error(`  ${name} log: ${log}`);
  exitCode = 1;
} finally {
  cancel();
  await stopAll();
}
process.exit(exitCode);
