using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Rpc;

namespace Thalamus.Ddpn;

/// <summary>The <c>ddpn_*</c> namespace: the units, jobs, submissions and outputs, read from a chain's latest state.</summary>
internal static class DdpnRpcMethods
{
    public static void Register(RpcMethodRegistry registry, DdpnModule module)
    {
        registry.Add("ddpn_units", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            p.End();
            w.WriteStartArray();
            foreach (var chain in module.Chains)
            {
                w.WriteStartObject();
                w.WritePropertyName("chainId");
                w.WriteQuantity(chain.ChainId);
                w.WritePropertyName("unit");
                w.WriteAddress(DdpnAddresses.Unit);
                w.WritePropertyName("memoryLimit");
                w.WriteQuantity(module.Options.MemoryLimitOf(chain.ChainId));
                w.WritePropertyName("dlxGasPerEvmGas");
                w.WriteQuantity((ulong)DdpnGas.DlxGasPerEvmGas);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        registry.Add("ddpn_getJob", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var chain = module.Chain(p.ReadFlexibleUInt64("chainId"));
            var job = p.ReadHash("job");
            p.End();
            var info = DdpnJobInfo.Decode(View(chain, Abi.Call(DdpnUnitAbi.GetJob, job)));
            if (info.Location == DdpnJobLocation.Unknown)
            {
                w.WriteNullValue();
                return;
            }
            WriteJob(w, job, info);
        });
        registry.Add("ddpn_getOutput", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var chain = module.Chain(p.ReadFlexibleUInt64("chainId"));
            var job = p.ReadHash("job");
            p.End();
            w.WriteData(new AbiReader(View(chain, Abi.Call(DdpnUnitAbi.GetOutput, job))).BytesSpan(0));
        });
        registry.Add("ddpn_management", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var chain = module.Chain(p.ReadFlexibleUInt64("chainId"));
            p.End();
            var r = new AbiReader(View(chain, Abi.EncodeCall(ManagementUnit.Digest), DdpnAddresses.Management));
            w.WriteStartObject();
            w.WritePropertyName("applied");
            w.WriteQuantity(r.UInt64(0));
            w.WritePropertyName("queued");
            w.WriteQuantity((ulong)module.Queue.Count);
            w.WritePropertyName("digest");
            w.WriteHash(r.Bytes32(1));
            w.WriteEndObject();
        });
        registry.Add("ddpn_getOffer", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var chain = module.Chain(p.ReadFlexibleUInt64("chainId"));
            var offer = p.ReadHash("offer");
            p.End();
            var r = new AbiReader(View(chain, Abi.EncodeCall(ManagementUnit.GetOffer, offer), DdpnAddresses.Management));
            if (r.UInt64(0) == 0)
            {
                w.WriteNullValue();
                return;
            }
            w.WriteStartObject();
            w.WriteString("status", r.UInt64(0) switch { ManagementUnit.StatusOpen => "open", ManagementUnit.StatusVerifying => "verifying", _ => "closed" });
            w.WritePropertyName("client");
            w.WriteAddress(r.Address(1));
            w.WritePropertyName("maxCost");
            w.WriteQuantity(r.Word(2));
            w.WritePropertyName("alphaPpm");
            w.WriteQuantity(r.UInt64(3));
            w.WritePropertyName("bestStrategist");
            w.WriteAddress(r.Address(4));
            w.WritePropertyName("bestBlocks");
            w.WriteQuantity(r.UInt64(5));
            w.WritePropertyName("bestCost");
            w.WriteQuantity(r.UInt64(6));
            w.WritePropertyName("validStrategies");
            w.WriteQuantity(r.UInt64(7));
            w.WritePropertyName("paymentChainId");
            w.WriteQuantity(r.UInt64(8));
            w.WritePropertyName("votes");
            w.WriteQuantity(r.UInt64(9));
            w.WritePropertyName("pythias");
            w.WriteStartArray();
            var drawn = new AbiReader(View(chain, Abi.EncodeCall(ManagementUnit.DrawnOf, offer), DdpnAddresses.Management)).Array(0, out var count);
            for (var i = 0; i < count; i++) w.WriteAddress(drawn.Address(i));
            w.WriteEndArray();
            // The best strategy's chain of each segment: who shares the payment (docs/ddpn.md, "Who is paid").
            w.WritePropertyName("placement");
            w.WriteStartArray();
            var placed = new AbiReader(View(chain, Abi.EncodeCall(ManagementUnit.PlacementOf, offer), DdpnAddresses.Management)).Array(0, out var segments);
            for (var i = 0; i < segments; i++) w.WriteQuantity(placed.UInt64(i));
            w.WriteEndArray();
            w.WriteEndObject();
        });
        registry.Add("ddpn_getPythia", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var chain = module.Chain(p.ReadFlexibleUInt64("chainId"));
            var who = p.ReadAddress("address");
            p.End();
            var stake = new AbiReader(View(chain, Abi.EncodeCall(ManagementUnit.StakeOf, who), DdpnAddresses.Management)).Word(0);
            var reliability = new AbiReader(View(chain, Abi.EncodeCall(ManagementUnit.ReliabilityOf, who), DdpnAddresses.Management)).UInt64(0);
            w.WriteStartObject();
            w.WritePropertyName("stake");
            w.WriteQuantity(stake);
            w.WritePropertyName("reliabilityPpm");
            w.WriteQuantity(reliability);
            w.WriteEndObject();
        });
        registry.Add("ddpn_getSubmission", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var chain = module.Chain(p.ReadFlexibleUInt64("chainId"));
            var id = p.ReadHash("submission");
            p.End();
            var r = new AbiReader(View(chain, Abi.Call(DdpnUnitAbi.GetSubmission, id)));
            if (r.UInt64(0) == 0)
            {
                w.WriteNullValue();
                return;
            }
            w.WriteStartObject();
            w.WritePropertyName("chunks");
            w.WriteQuantity(r.UInt64(0));
            w.WritePropertyName("received");
            w.WriteQuantity(r.UInt64(1));
            w.WritePropertyName("limit");
            w.WriteQuantity(r.UInt64(2));
            w.WritePropertyName("size");
            w.WriteQuantity(r.UInt64(3));
            w.WritePropertyName("dataHash");
            w.WriteHash(r.Bytes32(4));
            w.WriteBoolean("complete", r.Bool(5));
            w.WriteEndObject();
        });
    }

    private static byte[] View(MemberChain chain, byte[] data, Address? to = null)
    {
        var result = chain.Call(new CallRequest { To = to ?? DdpnAddresses.Unit, Data = data }, BlockSelector.Latest);
        if (!result.Success)
            throw new RpcException(RpcErrorCodes.ExecutionReverted, Abi.DecodeRevertReason(result.ReturnData) ?? result.Error ?? "the unit refused", result.ReturnData);
        return result.ReturnData;
    }

    private static void WriteJob(Utf8JsonWriter w, Hash256 job, DdpnJobInfo info)
    {
        w.WriteStartObject();
        w.WritePropertyName("job");
        w.WriteHash(job);
        w.WriteString("location", info.Location.ToString());
        w.WriteString("status", info.Status.ToString());
        w.WriteString("fault", info.Fault.ToString());
        w.WriteString("kind", info.Kind.ToString());
        w.WritePropertyName("segment");
        w.WriteQuantity(info.Segment);
        w.WritePropertyName("programHash");
        w.WriteHash(info.ProgramHash);
        w.WritePropertyName("inputHash");
        w.WriteHash(info.InputHash);
        w.WritePropertyName("stateHash");
        w.WriteHash(info.StateHash);
        w.WritePropertyName("outputHash");
        w.WriteHash(info.OutputHash);
        w.WritePropertyName("dlxGasUsed");
        w.WriteQuantity(info.DlxGasUsed);
        w.WritePropertyName("instructions");
        w.WriteQuantity(info.Instructions);
        w.WritePropertyName("runs");
        w.WriteQuantity(info.Runs);
        w.WritePropertyName("transferredTo");
        w.WriteQuantity(info.TransferredTo);
        w.WriteEndObject();
    }
}
