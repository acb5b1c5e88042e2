// Shared set-up for the cluster client tests: the devnet's chains (found through cluster_chains on
// the endpoint the C# runner gives), a provider and dev wallets per chain, the predeploys, and
// helpers for the cluster_* methods.
import { Contract, JsonRpcProvider, getCreate2Address, keccak256, concat, zeroPadValue, toBeHex } from 'ethers';
import { artifact, devWallet } from './node.mjs';

export const CLUSTER_RPC_URL = process.env.THALAMUS_CLUSTER_RPC_URL ?? 'http://127.0.0.1:9545';

export const MESSENGER = '0x4200000000000000000000000000000000000023';
export const CROSS_CHAIN_CALL = '0x4200000000000000000000000000000000000024';
export const TOKEN_BRIDGE = '0x4200000000000000000000000000000000000028';
export const CREATE2_DEPLOYER = '0x4e59b44847b379578588920ca78fbf26c0b4956c';

function provider(url) {
  return new JsonRpcProvider(url, undefined, { cacheTimeout: -1, pollingInterval: 50, staticNetwork: false });
}

/** cluster_chains on the given endpoint, then one {chainId, name, url, provider} per member chain. */
export async function clusterChains() {
  const first = provider(CLUSTER_RPC_URL);
  const listed = await first.send('cluster_chains', []);
  return listed.map((c) => ({ chainId: BigInt(c.chainId), name: c.name, url: c.rpcUrl, provider: provider(c.rpcUrl) }));
}

/** Dev account i on a chain. */
export function wallet(chain, index) {
  return devWallet(index, chain.provider);
}

export function messenger(runner) {
  return new Contract(MESSENGER, artifact('IClusterMessenger').abi, runner);
}

export function bridge(runner) {
  return new Contract(TOKEN_BRIDGE, artifact('ClusterTokenBridge').abi, runner);
}

export async function getMessage(chain, id) {
  return chain.provider.send('cluster_getMessage', [id]);
}

export async function clusterStatus(chain) {
  return chain.provider.send('cluster_status', []);
}

/** Polls cluster_getMessage until its status is `status` (or another final one); rejects after timeoutMs. */
export async function messageWhen(chain, id, status, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = await getMessage(chain, id);
    if (message !== null && message.status === status) return message;
    if (Date.now() >= deadline) throw new Error(`message ${id} is not ${status} after ${timeoutMs} ms: ${JSON.stringify(message)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The ids of the MessageSent events in a receipt. */
export function sentMessageIds(receipt) {
  const iface = messenger(null).interface;
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === MESSENGER)
    .map((log) => iface.parseLog(log))
    .filter((parsed) => parsed?.name === 'MessageSent')
    .map((parsed) => parsed.args.id);
}

/** init code of an artifact with ABI-encoded constructor arguments. */
export function initCode(name, ...args) {
  const { abi, bytecode } = artifact(name);
  const encoded = new Contract(ZERO, abi).interface.encodeDeploy(args);
  return concat([bytecode, encoded]);
}

const ZERO = '0x0000000000000000000000000000000000000000';

/** Deploys init code through the CREATE2 deployer (input salt ++ initcode) and returns the address. */
export async function create2(signer, salt, code) {
  const saltBytes = zeroPadValue(toBeHex(salt), 32);
  const address = getCreate2Address(CREATE2_DEPLOYER, saltBytes, keccak256(code));
  const receipt = await (await signer.sendTransaction({ to: CREATE2_DEPLOYER, data: concat([saltBytes, code]), gasLimit: 5_000_000 })).wait();
  if (receipt.status !== 1) throw new Error(`CREATE2 deployment failed: ${JSON.stringify(receipt)}`);
  return address;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
