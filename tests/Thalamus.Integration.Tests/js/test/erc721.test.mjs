// The OpenZeppelin ERC-721: deploy, mint, ownership, approve and transfers, events, custom errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZeroAddress } from 'ethers';
import { deploy, devWallet, describeError, httpProvider, rejection } from '../lib/node.mjs';

const provider = httpProvider();
const minter = devWallet(5, provider);
const alice = devWallet(6, provider);
const bob = devWallet(7, provider);

const nft = await deploy('TestNft', minter);

test('mint emits Transfer from the zero address and sets the owner', async () => {
  const tokenId = await nft.mint.staticCall(alice.address);
  assert.equal(tokenId, 1n);
  const receipt = await (await nft.mint(alice.address)).wait();
  assert.equal(receipt.status, 1);
  const event = nft.interface.parseLog(receipt.logs[0]);
  assert.equal(event.name, 'Transfer');
  assert.equal(event.args.from, ZeroAddress);
  assert.equal(event.args.to, alice.address);
  assert.equal(event.args.tokenId, 1n);
  assert.equal(await nft.ownerOf(1n), alice.address);
  assert.equal(await nft.balanceOf(alice.address), 1n);
  assert.equal(await nft.name(), 'Test NFT');
  assert.equal(await nft.nextTokenId(), 2n);
});

test('approve then transferFrom by the approved account', async () => {
  const asAlice = nft.connect(alice);
  await (await asAlice.approve(bob.address, 1n)).wait();
  assert.equal(await nft.getApproved(1n), bob.address);

  const asBob = nft.connect(bob);
  const receipt = await (await asBob.transferFrom(alice.address, bob.address, 1n)).wait();
  assert.equal(receipt.status, 1);
  assert.equal(await nft.ownerOf(1n), bob.address);
  assert.equal(await nft.balanceOf(alice.address), 0n);
  assert.equal(await nft.getApproved(1n), ZeroAddress, 'the approval is cleared by the transfer');
});

test('safeTransferFrom to an EOA', async () => {
  await (await nft.mint(alice.address)).wait();
  const asAlice = nft.connect(alice);
  await (await asAlice['safeTransferFrom(address,address,uint256)'](alice.address, bob.address, 2n)).wait();
  assert.equal(await nft.ownerOf(2n), bob.address);
  assert.equal(await nft.balanceOf(bob.address), 2n);
});

test('transfers are found by queryFilter per token id', async () => {
  const history = await nft.queryFilter(nft.filters.Transfer(null, null, 1n));
  assert.deepEqual(history.map((e) => [e.args.from, e.args.to]), [[ZeroAddress, alice.address], [alice.address, bob.address]]);
});

test('custom errors: nonexistent token, transfer by a stranger', async () => {
  const missing = await rejection(() => nft.ownerOf(999n));
  assert.equal(missing.code, 'CALL_EXCEPTION', describeError(missing));
  assert.equal(missing.revert?.name, 'ERC721NonexistentToken', describeError(missing));
  assert.equal(missing.revert.args[0], 999n);

  const stranger = nft.connect(alice);
  const error = await rejection(() => stranger.transferFrom.staticCall(bob.address, alice.address, 2n));
  assert.equal(error.code, 'CALL_EXCEPTION', describeError(error));
  assert.equal(error.revert?.name, 'ERC721InsufficientApproval', describeError(error));
  assert.deepEqual([...error.revert.args], [alice.address, 2n]);
  const sendError = await rejection(() => stranger.transferFrom(bob.address, alice.address, 2n));
  assert.equal(nft.interface.parseError(sendError.data)?.name, 'ERC721InsufficientApproval', describeError(sendError));
});
