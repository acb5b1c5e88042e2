// Shared set-up for the client tests: the node's URLs (from the environment the C# runner sets),
// ethers providers tuned for an automining dev node, the dev accounts, and the solc artifacts.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractFactory, JsonRpcProvider, Wallet, WebSocketProvider, HDNodeWallet, Mnemonic } from 'ethers';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = join(here, '..', '..', '..', '..');

export const RPC_URL = process.env.THALAMUS_RPC_URL ?? 'http://127.0.0.1:8545';
export const WS_URL = process.env.THALAMUS_WS_URL ?? RPC_URL.replace(/^http/, 'ws');
export const CHAIN_ID = BigInt(process.env.THALAMUS_CHAIN_ID ?? '31337');

export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

/**
 * An HTTP provider for tests: no request cache (ethers reuses identical answers for 250 ms by
 * default, which would hide state changes between two reads) and fast polling.
 */
export function httpProvider(options = {}) {
  return new JsonRpcProvider(RPC_URL, undefined, { cacheTimeout: -1, pollingInterval: 50, ...options });
}

export function wsProvider() {
  return new WebSocketProvider(WS_URL, undefined, { cacheTimeout: -1, pollingInterval: 50 });
}

/** Dev account i (m/44'/60'/0'/0/i of the test mnemonic), connected to the provider. */
export function devWallet(index, provider) {
  const node = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), `m/44'/60'/0'/0/${index}`);
  return new Wallet(node.privateKey, provider);
}

export function artifact(name) {
  const file = join(repositoryRoot, 'contracts', 'artifacts', `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

export async function deploy(name, signer, ...args) {
  const { abi, bytecode } = artifact(name);
  const factory = new ContractFactory(abi, bytecode, signer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract;
}

/** Waits for a receipt by polling, up to timeoutMs; null if none came. */
export async function receiptWithin(provider, hash, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt !== null || Date.now() >= deadline) return receipt;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves with the first value the callback produces, or rejects after timeoutMs with the message. */
export function within(timeoutMs, message, start) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${message}`)), timeoutMs);
    Promise.resolve(start((value) => { clearTimeout(timer); resolve(value); }, (error) => { clearTimeout(timer); reject(error); }))
      .catch((error) => { clearTimeout(timer); reject(error); });
  });
}

/** Runs fn, expecting it to throw; returns the error (fails the test if nothing was thrown). */
export async function rejection(fn) {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but the call succeeded');
}

/** A short description of an ethers error for assertion messages. */
export function describeError(error) {
  return JSON.stringify({ code: error?.code, shortMessage: error?.shortMessage, reason: error?.reason, info: error?.info, data: error?.data },
    (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The node's own JSON-RPC error ({code, message, data}) inside an ethers error, if any. */
export function rpcError(error) {
  return error?.info?.error ?? error?.error ?? null;
}

/** The node's JSON-RPC error message inside an ethers error (or the ethers message). */
export function rpcMessage(error) {
  return rpcError(error)?.message ?? error?.message ?? '';
}

/** Polls predicate every 20 ms until it is true; rejects with the message after timeoutMs. */
export async function waitUntil(predicate, timeoutMs, message) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
