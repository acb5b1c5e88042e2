using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Dlx;
using static Thalamus.Ddpn.Tests.DdpnTestKit;

namespace Thalamus.Ddpn.Tests;

/// <summary>Bad input gets a clear revert reason, and a reverted call keeps the gas it did not use.</summary>
public sealed class RefusalTests
{
    private const int Limit = 128;

    private static DdpnTestKit Kit() => new([new ClusterChainOptions { ChainId = 901 }, new ClusterChainOptions { ChainId = 902 }]);

    private static IReadOnlyList<byte[]> ProgramChunks() => DlxChunker.Split(Assemble("factorial.s").ToBytes(), Limit);

    private static Hash256 Begin(MemberChain chain, byte[] first)
    {
        Send(chain, Abi.Call(DdpnUnitAbi.BeginSubmission, AbiValue.Bytes(first)));
        return new Hash256(System.Security.Cryptography.SHA256.HashData(first));
    }

    [Fact]
    public async Task A_tampered_chunk_is_refused_with_the_link_it_breaks()
    {
        await using var kit = Kit();
        var chunks = ProgramChunks();
        Assert.True(chunks.Count >= 3);
        var id = Begin(kit[0], chunks[0]);
        var tampered = chunks[1].ToArray();
        tampered[5] ^= 1;
        Assert.Equal("DDPN: chunk 2 does not match the SHA-256 link in chunk 1 (tampered, reordered or missing chunk)",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(tampered))));
    }

    [Fact]
    public async Task A_reordered_chunk_is_refused_and_a_missing_one_leaves_the_program_unusable()
    {
        await using var kit = Kit();
        var chunks = ProgramChunks();
        var id = Begin(kit[0], chunks[0]);
        Assert.Equal("DDPN: chunk 2 does not match the SHA-256 link in chunk 1 (tampered, reordered or missing chunk)",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(chunks[2]))));
        Assert.Equal($"DDPN: program {id} is incomplete: 1 of {chunks.Count} chunks received",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.RegisterProgram, id)));
        Assert.Equal($"DDPN: chunk 2 is 5 bytes; every chunk but the last must be exactly the limit ({Limit} bytes)",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes([1, 2, 3, 4, 5]))));
        for (var i = 1; i < chunks.Count; i++) Send(kit[0], Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(chunks[i])));
        Assert.Equal($"DDPN: submission {id} is complete: all {chunks.Count} chunks were received (an extra chunk)",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(chunks[1]))));
        Assert.Equal($"DDPN: submission {id} already exists", Reason(kit[0], Abi.Call(DdpnUnitAbi.BeginSubmission, AbiValue.Bytes(chunks[0]))));
    }

    [Fact]
    public async Task A_first_chunk_whose_digest_does_not_match_the_program_fails_on_its_last_chunk()
    {
        await using var kit = Kit();
        var program = Assemble("factorial.s").ToBytes();
        var chunks = DlxChunker.Split(program, Limit).Select(c => c.ToArray()).ToArray();
        // Flip a byte of the digest in chunk 1 (after the 20-byte fixed header): every link still holds.
        chunks[0][DlxChunker.FixedHeaderSize + 3] ^= 1;
        var id = Begin(kit[0], chunks[0]);
        for (var i = 1; i < chunks.Length - 1; i++) Send(kit[0], Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(chunks[i])));
        Assert.Equal($"DDPN: submission {id}: the digest in chunk 1 does not match its header and the program (tampered)",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(chunks[^1]))));
    }

    [Fact]
    public async Task A_malformed_program_an_unregistered_program_an_unknown_job_and_an_unknown_chain_are_refused_by_name()
    {
        await using var kit = Kit();
        var junk = Submit(kit[0], "this is not a DLX image"u8.ToArray(), 4096);
        var reason = Reason(kit[0], Abi.Call(DdpnUnitAbi.RegisterProgram, junk));
        Assert.StartsWith($"DDPN: submission {junk} is not a DLX program image: ", reason);
        Assert.Equal($"DDPN: program {junk} is not registered on this chain (registerProgram)",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.CreateJob, junk, AbiValue.Array(), 1000UL, 0UL)));
        var unknown = new Hash256(new byte[32]);
        Assert.Equal($"DDPN: unknown job {unknown} on chain 901", Reason(kit[0], Abi.Call(DdpnUnitAbi.Run, unknown, 1000UL)));

        var program = RegisterProgram(kit[0], Assemble("factorial.s"), 4096);
        Assert.Equal($"DDPN: program {program} has 0 independent segments, not a segment 2",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.CreateJob, program, AbiValue.Array(), 1000UL, 2UL)));
        var job = CreateJob(kit[0], program, [], 1_000_000);
        var toUnknown = Reason(kit[0], Abi.Call(DdpnUnitAbi.Transfer, job, 999UL));
        Assert.StartsWith($"DDPN: chain 999 refused job {job}: ", toUnknown);
        Assert.Contains("999", toUnknown![30..]);
        Assert.Equal("DDPN: importJob is only for the virtualization unit of another member chain, through a synchronous cross-chain call",
            Reason(kit[1], Abi.Call(DdpnUnitAbi.ImportJob, job, AbiValue.Bytes([1]), AbiValue.Bytes([]))));

        // A refused call reverts: the sender pays only the gas used, the rest of the gas it bought comes back.
        var gas = 5_000_000UL;
        var hash = kit[0].SendTransaction(Sign(kit[0], 1, Abi.Call(DdpnUnitAbi.Run, unknown, 1000UL), gas));
        var receipt = kit[0].GetReceipt(hash)!;
        Assert.False(receipt.Success);
        Assert.True(receipt.GasUsed < 100_000, $"{receipt.GasUsed} gas used");
    }
}
