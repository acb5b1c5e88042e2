// samples/rtc/rtc-sample.mjs (the ethers.js RTC sample) on the running devnet: it quotes chain B, names a
// vault in the address book, resolves it from A with its ERC-7828 form, sends an async RTC by that name
// via the cheapest provider and tracks it to its ACK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ethers from 'ethers';
import { rtcSample } from '../../../../samples/rtc/rtc-sample.mjs';
import { CLUSTER_RPC_URL, clusterChains } from '../lib/cluster.mjs';

test('the ethers.js RTC sample quotes, names, resolves, sends by name and sees the ACK', async () => {
  const [, B] = await clusterChains();
  const name = 'sample-vault';
  const seen = await rtcSample(ethers, { clusterUrl: CLUSTER_RPC_URL, accountIndex: 7, name, log: () => {} });
  assert.deepEqual(seen.quotes.map((q) => [q.provider, q.relayer, q.fee]), [['cluster', ethers.ZeroAddress, 0n]]);
  assert.equal(seen.resolved.erc7828, `${name}@eip155:${B.chainId}`);
  assert.equal(seen.resolved.chainId, ethers.toQuantity(B.chainId));
  assert.equal(seen.rtc.status, 'ACK');
  assert.equal(BigInt(seen.rtc.results[0]), 1n); // ping() returned 1 on B
  assert.equal(seen.pings, 1n);
});

test('a name not in the book is refused with the reason, on chain and over RPC', async () => {
  const [A] = await clusterChains();
  const book = new ethers.Contract('0x4200000000000000000000000000000000000033', ['function resolve(string) view returns (uint256, address)'], A.provider);
  await assert.rejects(book.resolve('no-such-name'), (e) => e.reason === "ThalamusAddressBook: no name 'no-such-name' in the book");
  await assert.rejects(A.provider.send('thalamus_resolveName', ['no-such-name']), /no name 'no-such-name' in the address book/);
});
