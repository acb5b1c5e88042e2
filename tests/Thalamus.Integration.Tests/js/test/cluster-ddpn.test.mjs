// The DDPN virtualization unit (0x…50) from ethers: a DLX program submitted in chained chunks
// (SHA-256 links, as DlxChunker makes them), registered, run for a budget on chain A, its machine
// state moved to chain B by a synchronous cross-chain call, finished there; a tampered chunk is
// refused with the reason. The image is built here: addi r1, r0, 42; trap 7 (print r1); trap 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Contract, getBytes, hexlify, toUtf8String } from 'ethers';
import { artifact, rejection } from '../lib/node.mjs';
import { clusterChains, wallet } from '../lib/cluster.mjs';

const UNIT = '0x4200000000000000000000000000000000000050';
const chains = await clusterChains();
const [A, B] = chains;
const onA = new Contract(UNIT, artifact('IDdpnUnit').abi, wallet(A, 7));
const onB = new Contract(UNIT, artifact('IDdpnUnit').abi, wallet(B, 7));

const sha256 = (bytes) => createHash('sha256').update(bytes).digest();
const u16 = (v) => Buffer.from([(v >> 8) & 0xff, v & 0xff]);
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };

/** A DLXI program image: one text section at 0, entry 0, no segments. */
function image(words) {
  const code = Buffer.concat(words.map(u32));
  return Buffer.concat([Buffer.from('DLXI'), Buffer.from([1]), u32(0), u16(1), Buffer.from([1]), u32(0), u32(code.length), code, u16(0)]);
}

/** DlxChunker.Split without metadata: every chunk but the last exactly `limit` bytes, each linked to the next by SHA-256. */
function split(program, limit) {
  const header = 20 + 32;
  const sizes = [];
  if (header + program.length <= limit) sizes.push(program.length);
  else {
    sizes.push(limit - header - 32);
    let rest = program.length - sizes[0];
    while (rest > limit) { sizes.push(limit - 32); rest -= limit - 32; }
    sizes.push(rest);
  }
  const chunks = new Array(sizes.length);
  let offset = program.length;
  for (let i = sizes.length - 1; i >= 0; i--) {
    offset -= sizes[i];
    const last = i === sizes.length - 1;
    let chunk = Buffer.concat([program.subarray(offset, offset + sizes[i]), last ? Buffer.alloc(0) : sha256(chunks[i + 1])]);
    if (i === 0) {
      const fixed = Buffer.concat([Buffer.from('DLXC'), Buffer.from([1, sizes.length > 1 ? 1 : 0]), u32(limit), u32(program.length), u32(sizes.length), u16(0)]);
      chunk = Buffer.concat([fixed, sha256(Buffer.concat([fixed, program])), chunk]);
    }
    chunks[i] = chunk;
  }
  return chunks;
}

const program = image([0x2001002a, 0x44000007, 0x44000000]);
const chunks = split(program, 85); // the smallest limit: chunk 1 carries one program byte

test('a program in linked chunks runs on A, moves to B with its state hash logged on both, and prints there', async () => {
  assert.equal(chunks.length, 2);
  const id = hexlify(sha256(chunks[0]));
  await (await onA.beginSubmission(chunks[0])).wait();
  await (await onA.continueSubmission(id, chunks[1])).wait();
  assert.equal((await onA.getSubmission(id)).complete, true);
  await (await onA.registerProgram(id)).wait();
  const created = await (await onA.createJob(id, [], 1000000n, 0n)).wait();
  const job = onA.interface.parseLog(created.logs.find((l) => l.address.toLowerCase() === UNIT)).args.job;
  await (await onA.run(job, 1n)).wait(); // one DLX gas: the addi only
  assert.equal((await onA.getJob(job)).status, 1n); // Paused
  const moved = await (await onA.transfer(job, B.chainId)).wait();
  const exported = onA.interface.parseLog(moved.logs.find((l) => l.address.toLowerCase() === UNIT));
  assert.equal(exported.name, 'StateExported');
  const imported = await B.provider.getLogs({ address: UNIT, topics: [onB.interface.getEvent('StateImported').topicHash, job] });
  assert.equal(onB.interface.parseLog(imported[0]).args.stateHash, exported.args.stateHash);
  await (await onB.run(job, 1000n)).wait();
  const info = await onB.getJob(job);
  assert.equal(info.status, 3n); // Halted
  assert.equal(toUtf8String(await onB.getOutput(job)), '42');
  assert.equal(info.outputHash, hexlify(sha256(Buffer.from('42'))));
  assert.equal((await onA.getJob(job)).location, 2n); // moved
});

test('a tampered chunk is refused with the link it breaks', async () => {
  const other = split(image([0x2001002b, 0x44000007, 0x44000000]), 85); // prints 43: another submission
  const id = hexlify(sha256(other[0]));
  await (await onA.beginSubmission(other[0])).wait();
  const tampered = Buffer.from(other[1]);
  tampered[0] ^= 1;
  const error = await rejection(() => onA.continueSubmission.staticCall(id, tampered));
  assert.match(String(error.reason ?? error.shortMessage), /DDPN: chunk 2 does not match the SHA-256 link in chunk 1/);
});
