// An RTC from ethers.js v6 on a running Thalamus devnet (docs/rtc.md): quote the providers of chain B,
// deploy an Ownable vault on B and name it in the cluster address book, resolve the name from chain A
// (thalamus_resolveName, ERC-7828), send an async RTC A -> B by that name with the sender's preference
// ("cheapest"), and track it to its ACK with thalamus_getRtc.
//
// The sample takes the ethers module from its caller (the runner below, or a test), so it has no
// dependency of its own. Run it against `./thalamus devnet`:
//   cd samples/rtc && npm ci --no-audit --no-fund && node run.mjs http://127.0.0.1:9545
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GATEWAY = '0x4200000000000000000000000000000000000030';
export const ADDRESS_BOOK = '0x4200000000000000000000000000000000000033';
const MNEMONIC = 'test test test test test test test test test test test junk';
const here = dirname(fileURLToPath(import.meta.url));
const artifact = (name) => JSON.parse(readFileSync(join(here, '..', '..', 'contracts', 'artifacts', `${name}.json`), 'utf8'));

const gatewayAbi = [
  'function quoteRtc(uint256 chainId) view returns ((bytes32 provider, address relayer, uint256 fee, uint64 latencyMs)[])',
  'function sendRtcVia(((uint256 chainId, address target, bytes data, uint8 adapter, address asset, uint256 amount, uint256 approvalAmount, address beneficiary, uint64 gasLimit, bool bridgeBack)[] calls, (uint16 fromCall, uint16 word, uint16 toCall, uint32 offset)[] pipes, bool atomic, uint64 deadline) rtc, bytes32 preference) payable returns (bytes32)',
  'event RtcSent(bytes32 indexed id, address indexed sender, uint256 indexed destinationChainId, bool atomic, uint64 deadline, uint256[] chainIds)',
];
const bookAbi = [
  'function register(string name, address target)',
  'function resolve(string name) view returns (uint256 chainId, address target)',
];

/**
 * Runs the sample. ethers: the ethers v6 module; clusterUrl: any chain's endpoint (cluster_chains lists the others);
 * accountIndex: the dev account that sends; name: the address-book name to give the vault.
 * Returns what it saw: { quotes, resolved, id, rtc, deposits }.
 */
export async function rtcSample(ethers, { clusterUrl, accountIndex = 7, name = `sample-vault-${Date.now()}`, log = console.log }) {
  const chains = await new ethers.JsonRpcProvider(clusterUrl).send('cluster_chains', []);
  const [a, b] = chains.map((c) => ({ chainId: BigInt(c.chainId), provider: new ethers.JsonRpcProvider(c.rpcUrl, undefined, { cacheTimeout: -1, pollingInterval: 50 }) }));
  const key = ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${accountIndex}`).privateKey;
  // NonceManager: the sample sends several transactions in a row from one account on each chain.
  const [userA, userB] = [new ethers.NonceManager(new ethers.Wallet(key, a.provider)), new ethers.NonceManager(new ethers.Wallet(key, b.provider))];

  // 1. Quote: the providers that carry an RTC to B (one, "cluster", for a member chain).
  const gatewayA = new ethers.Contract(GATEWAY, gatewayAbi, userA);
  const quotes = (await gatewayA.quoteRtc(b.chainId)).map((q) => ({
    provider: ethers.decodeBytes32String(q.provider), relayer: q.relayer, fee: q.fee, latencyMs: q.latencyMs,
  }));
  log('quotes for chain', b.chainId, quotes);

  // 2. An Ownable vault on B, named by its owner in the address book (replicated to every chain by the node).
  const { abi, bytecode } = artifact('RtcOwnedVault');
  const vault = await new ethers.ContractFactory(abi, bytecode, userB).deploy();
  await vault.waitForDeployment();
  const register = await new ethers.Contract(ADDRESS_BOOK, bookAbi, userB).register(name, await vault.getAddress());
  await register.wait();

  // 3. Resolve the name from A: on chain (the replicated book) and over RPC with its ERC-7828 form.
  const bookA = new ethers.Contract(ADDRESS_BOOK, bookAbi, a.provider);
  let target;
  for (let i = 0; ; i++) {
    try {
      target = await bookA.resolve(name);
      break;
    } catch (error) {
      if (i === 200) throw error; // the replay comes in A's next block
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const resolved = await a.provider.send('thalamus_resolveName', [name]);
  log('resolved', resolved.erc7828, '->', resolved.address7828);

  // 4. An async RTC A -> B by that name: vault.ping(), the cheapest provider first.
  const call = {
    chainId: target.chainId, target: target.target, data: vault.interface.encodeFunctionData('ping'), adapter: 0,
    asset: ethers.ZeroAddress, amount: 0n, approvalAmount: 0n, beneficiary: ethers.ZeroAddress, gasLimit: 0n, bridgeBack: false,
  };
  const now = (await a.provider.getBlock('latest')).timestamp;
  const tx = await gatewayA.sendRtcVia({ calls: [call], pipes: [], atomic: false, deadline: BigInt(now + 600) }, ethers.encodeBytes32String('cheapest'));
  const receipt = await tx.wait();
  const id = receipt.logs.map((l) => { try { return gatewayA.interface.parseLog(l); } catch { return null; } }).find((e) => e?.name === 'RtcSent').args.id;

  // 5. Track it to its answer.
  let rtc;
  for (let i = 0; (rtc = await a.provider.send('thalamus_getRtc', [id]))?.status === 'PENDING' && i < 400; i++) await new Promise((r) => setTimeout(r, 50));
  log('RTC', id, rtc.status, 'results', rtc.results);
  return { quotes, resolved, id, rtc, pings: await vault.pings() };
}
