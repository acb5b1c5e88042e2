using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

// anvil's impersonation (eth_sendTransaction from an account without its key), anvil_reset and anvil_setChainId.
public sealed partial class RpcDispatcher
{
    // The accounts eth_sendTransaction may send from without a key; guarded by _sendTransactionLock.
    private readonly HashSet<Address> _impersonated = [];
    private bool _autoImpersonate;

    /// <summary>anvil_impersonateAccount / hardhat_impersonateAccount(address): null.</summary>
    private void ImpersonateAccount(ref ParamReader p, Utf8JsonWriter w, bool start)
    {
        var address = p.ReadAddress("address");
        p.End();
        DemandDevNode(start ? "anvil_impersonateAccount" : "anvil_stopImpersonatingAccount");
        lock (_sendTransactionLock)
        {
            if (start) _impersonated.Add(address);
            else _impersonated.Remove(address);
        }
        w.WriteNullValue();
    }

    /// <summary>anvil_autoImpersonateAccount(enabled): every account is impersonated while enabled; null.</summary>
    private void AutoImpersonateAccount(ref ParamReader p, Utf8JsonWriter w)
    {
        var enabled = p.ReadBool("enabled");
        p.End();
        DemandDevNode("anvil_autoImpersonateAccount");
        lock (_sendTransactionLock) _autoImpersonate = enabled;
        w.WriteNullValue();
    }

    /// <summary>True when eth_sendTransaction sends from <paramref name="from"/> without its key (call under _sendTransactionLock).</summary>
    private bool IsImpersonated(in Address from) => Options.Access.IsDev && (_autoImpersonate || _impersonated.Contains(from));

    /// <summary>anvil_reset([options]): without <c>forking</c>, back to genesis; null.</summary>
    private void ResetChain(ref ParamReader p, Utf8JsonWriter w)
    {
        if (p.TryPeekKind("options", out var kind) && kind != JsonTokenType.Null)
        {
            if (kind != JsonTokenType.StartObject) p.Check("expected an object {forking?} or nothing");
            ref var r = ref p.Current;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.GetString();
                r.Read();
                if (name == "forking" && r.TokenType == JsonTokenType.Null) continue;
                if (name == "forking")
                    throw RpcException.InvalidParams("invalid argument 0 (options): anvil_reset with forking is not supported here (start a devnet with --fork instead); call it without options to go back to genesis");
                throw RpcException.InvalidParams($"invalid argument 0 (options): unknown field \"{name}\" (anvil_reset takes {{forking?}})");
            }
        }
        p.End();
        DemandDevNode("anvil_reset");
        lock (_sendTransactionLock)
        {
            Backend.Reset();
            _impersonated.Clear();
            _autoImpersonate = false;
        }
        w.WriteNullValue();
    }

    /// <summary>anvil_setChainId(chainId): null.</summary>
    private void SetChainId(ref ParamReader p, Utf8JsonWriter w)
    {
        var chainId = p.ReadFlexibleUInt64("chainId");
        p.End();
        DemandDevNode("anvil_setChainId");
        Backend.SetChainId(chainId);
        w.WriteNullValue();
    }

    /// <summary>The dev methods that change who may send or what the chain is refuse on an endpoint that is not a dev node's (its policy would not serve them anyway).</summary>
    private void DemandDevNode(string method)
    {
        if (!Options.Access.IsDev)
            throw RpcException.ServerError($"{method} is a dev method: this node is not a dev node (dev: true in cluster.yaml, or thalamus devnet)");
    }
}
