#!/usr/bin/env node
// Compiles contracts/src/**/*.sol with the pinned npm solc through its standard-JSON interface,
// resolving imports (OpenZeppelin) from contracts/node_modules, into committed artifacts
// contracts/artifacts/<Name>.json: abi, bytecode, deployedBytecode, and inputHash, a SHA-256 of
// the compiler version, the settings and every source file the compilation read.
//
//   node contracts/compile.mjs            write the artifacts (and delete ones whose contract is gone)
//   node contracts/compile.mjs --check    write nothing; exit 1 if any artifact is missing, stale or extra
//
// Exit codes: 0 up to date / written, 1 stale (--check), 2 compile error or bad usage.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, 'src');
const artifactsDir = join(here, 'artifacts');
const nodeModules = join(here, 'node_modules');

const args = process.argv.slice(2);
const check = args.includes('--check');
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  console.error(`compile.mjs: unknown argument(s) ${unknown.join(' ')}; usage: node compile.mjs [--check]`);
  process.exit(2);
}

let solc;
try {
  solc = createRequire(import.meta.url)('solc');
} catch (error) {
  console.error(`compile.mjs: the solc package is not installed in ${relative(process.cwd(), here) || '.'}; run npm ci there (scripts/setup.sh does). ${error.message}`);
  process.exit(2);
}

// Settings that change the output; outputSelection only picks what we keep.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'ipfs' },
};

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const toUnitName = (file) => relative(here, file).split(sep).join('/');

function listSolidity(dir) {
  const files = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...listSolidity(full));
    else if (entry.endsWith('.sol')) files.push(full);
  }
  return files;
}

// Every source the compiler reads, by unit name, for the input hash.
const readSources = new Map();

function findImports(unitName) {
  // Local units are named "src/…"; everything else ("@openzeppelin/contracts/…") is a package path.
  const candidates = unitName.startsWith('src/') ? [join(here, unitName)] : [join(nodeModules, unitName)];
  for (const file of candidates) {
    if (existsSync(file)) {
      const contents = readFileSync(file, 'utf8');
      readSources.set(unitName, contents);
      return { contents };
    }
  }
  return { error: `File not found: ${unitName} (looked in ${candidates.map((c) => relative(here, c)).join(', ')}; is node_modules installed?)` };
}

const localFiles = listSolidity(srcDir);
if (localFiles.length === 0) {
  console.error('compile.mjs: no .sol files in contracts/src');
  process.exit(2);
}
const sources = {};
for (const file of localFiles) {
  const unit = toUnitName(file);
  const content = readFileSync(file, 'utf8');
  sources[unit] = { content };
  readSources.set(unit, content);
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    ...settings,
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

const problems = output.errors ?? [];
for (const problem of problems) {
  if (problem.severity !== 'error') console.error(problem.formattedMessage ?? problem.message);
}
const errors = problems.filter((p) => p.severity === 'error');
if (errors.length > 0) {
  for (const error of errors) console.error(error.formattedMessage ?? error.message);
  console.error(`compile.mjs: ${errors.length} compile error(s)`);
  process.exit(2);
}

const compilerVersion = solc.version();
const sourceHashes = Object.fromEntries([...readSources.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, content]) => [name, sha256(content)]));
const inputHash = sha256(JSON.stringify({ compiler: compilerVersion, settings, sources: sourceHashes }));

// One artifact per contract defined in contracts/src (not the imported library contracts).
const artifacts = new Map();
for (const unit of Object.keys(sources)) {
  for (const [name, contract] of Object.entries(output.contracts?.[unit] ?? {})) {
    if (artifacts.has(name)) {
      console.error(`compile.mjs: two contracts are named ${name}; artifact names must be unique`);
      process.exit(2);
    }
    const artifact = {
      contractName: name,
      sourceName: unit,
      abi: contract.abi,
      bytecode: `0x${contract.evm.bytecode.object}`,
      deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      compiler: { version: compilerVersion, settings },
      inputHash,
      sources: sourceHashes,
    };
    artifacts.set(name, `${JSON.stringify(artifact, null, 2)}\n`);
  }
}

const existing = existsSync(artifactsDir) ? readdirSync(artifactsDir).filter((f) => f.endsWith('.json')) : [];
const stale = [];
for (const [name, text] of artifacts) {
  const file = join(artifactsDir, `${name}.json`);
  if (!existsSync(file)) {
    stale.push(`${name}: artifacts/${name}.json is missing`);
    continue;
  }
  const current = readFileSync(file, 'utf8');
  if (current === text) continue;
  let recordedHash;
  try {
    recordedHash = JSON.parse(current).inputHash;
  } catch {
    recordedHash = undefined;
  }
  stale.push(recordedHash !== inputHash
    ? `${name}: compiled from other sources or settings (inputHash ${recordedHash ?? 'absent'}, now ${inputHash})`
    : `${name}: same inputs but the file differs from the compiler's output (edited by hand?)`);
}
const extra = existing.filter((f) => !artifacts.has(f.slice(0, -'.json'.length)));
for (const file of extra) stale.push(`artifacts/${file} belongs to no contract in contracts/src`);

if (check) {
  if (stale.length === 0) {
    console.log(`compile.mjs: ${artifacts.size} artifact(s) up to date (solc ${compilerVersion}, inputHash ${inputHash.slice(0, 16)}…)`);
    process.exit(0);
  }
  for (const line of stale) console.error(`stale: ${line}`);
  console.error(`compile.mjs: ${stale.length} artifact problem(s); run: node contracts/compile.mjs`);
  process.exit(1);
}

mkdirSync(artifactsDir, { recursive: true });
for (const [name, text] of artifacts) writeFileSync(join(artifactsDir, `${name}.json`), text);
for (const file of extra) rmSync(join(artifactsDir, file));
console.log(`compile.mjs: wrote ${artifacts.size} artifact(s) (${[...artifacts.keys()].join(', ')}) with solc ${compilerVersion}${extra.length ? `; removed ${extra.join(', ')}` : ''}`);
