using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;

namespace Thalamus.Rtc;

/// <summary>
/// The native membership oracle at <see cref="RtcPredeploys.Chains"/>: input one word (a chain id), output
/// one word, 1 when the chain is a member of the cluster now, else 0; 200 gas. The gateway asks it so that
/// an RTC or message to an unknown chain is refused when sent (the messenger itself would accept it and
/// fail it later). Two words (an external chain id, an address): 1 when the address is a relayer the node
/// is configured with for that chain (address zero: when the chain has any relayer). Three words (an external
/// chain id, an index, 0): provider <c>index</c> of that chain as four words (name as bytes32, relayer, fee in
/// wei, latency in ms), all zero past the last. Not an Ethereum precompile: only a CALL or STATICCALL without
/// value reaches it.
/// </summary>
internal sealed class ClusterMembership(Func<ulong, bool> isMember, Func<ulong, Address, bool> isRelayer, Func<ulong, int, RelayerOptions?> providerAt)
    : NativeContract(RtcPredeploys.Chains)
{
    public const long Gas = 200;

    public override bool IsPrecompile => false;

    public override bool WarmAtTransactionStart => false;

    public override PrecompileResult Run(in NativeCall call)
    {
        if (call.Gas < Gas || call.Input.Length is not (32 or 64 or 96)) return PrecompileResult.Failure(call.Gas);
        var chain = UInt256.FromBigEndian(call.Input[..32]);
        if (call.Input.Length == 96)
        {
            var index = UInt256.FromBigEndian(call.Input[32..64]);
            var quote = new byte[128];
            if (chain.IsUInt64 && index < new UInt256(1024) && providerAt((ulong)chain, (int)(ulong)index) is { } provider)
            {
                var name = System.Text.Encoding.UTF8.GetBytes(provider.Name);
                name.AsSpan(0, Math.Min(32, name.Length)).CopyTo(quote);
                provider.Address.ToUInt256().WriteBigEndian(quote.AsSpan(32, 32));
                provider.FeeWei.WriteBigEndian(quote.AsSpan(64, 32));
                new UInt256(provider.LatencyMs).WriteBigEndian(quote.AsSpan(96, 32));
            }
            return new PrecompileResult(true, Gas, quote);
        }
        var output = new byte[32];
        if (call.Input.Length == 64)
        {
            var word = UInt256.FromBigEndian(call.Input[32..]);
            var relayer = Address.FromUInt256(word);
            if (chain.IsUInt64 && relayer.ToUInt256() == word && isRelayer((ulong)chain, relayer)) output[31] = 1;
        }
        else if (chain.IsUInt64 && isMember((ulong)chain)) output[31] = 1;
        return new PrecompileResult(true, Gas, output);
    }
}
