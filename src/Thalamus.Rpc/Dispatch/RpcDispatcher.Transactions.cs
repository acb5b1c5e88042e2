using System.Text;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Rpc;

public sealed partial class RpcDispatcher
{
    private void SendRawTransaction(ref ParamReader p, Utf8JsonWriter w)
    {
        var raw = p.ReadData("signedTransaction");
        p.End();
        var prepared = t_batch?.Take(t_batchIndex, raw);
        w.WriteHash(prepared is not null ? Backend.SendTransaction(prepared) : Backend.SendRawTransaction(raw));
    }

    /// <summary>Signs with an unlocked dev account and submits, filling nonce, gas and fees like anvil.</summary>
    private void SendTransaction(ref ParamReader p, Utf8JsonWriter w)
    {
        var request = p.ReadCallRequest("transaction", out var chainId);
        p.End();
        Hash256 hash;
        // One at a time, so two concurrent sends from one account do not pick the same nonce.
        lock (_sendTransactionLock) hash = Backend.SendTransaction(FillAndSign(request, chainId));
        w.WriteHash(hash);
    }

    /// <summary>eth_signTransaction: what eth_sendTransaction would send, signed and encoded (EIP-2718 envelope), but not sent.</summary>
    private void SignTransaction(ref ParamReader p, Utf8JsonWriter w)
    {
        var request = p.ReadCallRequest("transaction", out var chainId);
        p.End();
        Transaction signed;
        lock (_sendTransactionLock) signed = FillAndSign(request, chainId, allowImpersonation: false);
        w.WriteData(signed.Encode());
    }

    /// <summary>
    /// eth_sendTransaction's and eth_signTransaction's transaction: the request's fields, the rest
    /// filled as anvil fills them (pending nonce, estimated gas, EIP-1559 fees unless a gas price is
    /// given), signed with the unlocked key of <c>from</c>, or, when <c>from</c> is impersonated
    /// (anvil_impersonateAccount), carrying the impersonation marker instead of a signature
    /// (<see cref="TransactionSigner.Impersonate"/>). Call under _sendTransactionLock.
    /// </summary>
    private Transaction FillAndSign(CallRequest request, ulong? chainId, bool allowImpersonation = true)
    {
        if (request.From is not { } from) throw RpcException.InvalidParams("invalid argument 0 (transaction): field \"from\" is required");
        var impersonated = allowImpersonation && IsImpersonated(from);
        var key = impersonated ? null : FindKey(from);
        if (chainId is { } c && c != Backend.ChainId)
            throw RpcException.ServerError($"invalid chain id {c}: this chain is {Backend.ChainId}");
        if (request.MaxFeePerBlobGas is not null || request.BlobVersionedHashes is { Count: > 0 })
            throw RpcException.InvalidParams("blob transactions need their blobs: sign them and use eth_sendRawTransaction");

        var nonce = request.Nonce ?? Backend.GetTransactionCount(from, BlockSelector.Pending);
        var gas = request.Gas ?? Backend.EstimateGas(request, BlockSelector.Pending);
        var legacy = request.GasPrice is not null && request.MaxFeePerGas is null && request.MaxPriorityFeePerGas is null;
        Transaction tx;
        if (legacy)
        {
            tx = new Transaction
            {
                Type = request.AccessList is { Count: > 0 } ? TxType.AccessList : TxType.Legacy,
                ChainId = Backend.ChainId,
                Nonce = nonce,
                GasPrice = request.GasPrice!.Value,
                GasLimit = gas,
                To = request.To,
                Value = request.Value ?? UInt256.Zero,
                Data = request.Data ?? [],
                AccessList = request.AccessList ?? [],
            };
        }
        else
        {
            var tip = request.MaxPriorityFeePerGas ?? Backend.MaxPriorityFeePerGas();
            var maxFee = request.MaxFeePerGas ?? Backend.NextBaseFee() * 2 + tip;
            if (maxFee < tip)
                throw RpcException.ServerError($"maxFeePerGas ({maxFee}) < maxPriorityFeePerGas ({tip})");
            tx = new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = Backend.ChainId,
                Nonce = nonce,
                MaxPriorityFeePerGas = tip,
                MaxFeePerGas = maxFee,
                GasLimit = gas,
                To = request.To,
                Value = request.Value ?? UInt256.Zero,
                Data = request.Data ?? [],
                AccessList = request.AccessList ?? [],
            };
        }
        return key is null ? TransactionSigner.Impersonate(tx, from) : TransactionSigner.Sign(tx, key);
    }

    /// <summary>eth_signTypedData_v4(address, typedData): the EIP-712 signature (65 bytes, v = 27 + recovery id), as MetaMask and anvil produce.</summary>
    private void SignTypedData(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        if (!p.TryPeekKind("typedData", out var kind)) p.Check("typed data is required");
        JsonElement typedData;
        try
        {
            // Wallet libraries send the typed data as an object or as a JSON string (MetaMask's form).
            typedData = kind == JsonTokenType.String
                ? JsonDocument.Parse(p.Current.GetString()!).RootElement.Clone()
                : JsonElement.ParseValue(ref p.Current);
        }
        catch (JsonException e)
        {
            throw RpcException.InvalidParams($"invalid argument 1 (typedData): not JSON: {e.Message}");
        }
        p.End();
        var key = FindKey(address);
        Hash256 digest;
        try
        {
            digest = TypedData.Hash(typedData);
        }
        catch (FormatException e)
        {
            throw RpcException.InvalidParams($"invalid argument 1 (typedData): {e.Message}");
        }
        WriteSignature(w, digest, key);
    }

    /// <summary>EIP-191 personal message signature (65 bytes, v = 27 + recovery id), as MetaMask and anvil produce.</summary>
    private void Sign(ref ParamReader p, Utf8JsonWriter w, bool addressFirst)
    {
        Address address;
        string message;
        if (addressFirst)
        {
            address = p.ReadAddress("address");
            message = p.ReadString("message");
        }
        else
        {
            message = p.ReadString("message");
            address = p.ReadAddress("address");
        }
        p.RejectUnlessAbsent("password", "accounts are unlocked; no password is taken");
        p.End();
        var key = FindKey(address);
        // Hex is the message's bytes; any other string is signed as its UTF-8 text (MetaMask's rule).
        var bytes = RpcHex.TryParseData(Encoding.UTF8.GetBytes(message), out var decoded) is null ? decoded : Encoding.UTF8.GetBytes(message);
        var prefix = Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var hash = Keccak256.Compute([.. prefix, .. bytes]);
        WriteSignature(w, hash, key);
    }

    private static void WriteSignature(Utf8JsonWriter w, Hash256 hash, byte[] key)
    {
        var signature = Secp256k1.Sign(hash.Bytes, key);
        Span<byte> result = stackalloc byte[65];
        signature.R.WriteBigEndian(result[..32]);
        signature.S.WriteBigEndian(result.Slice(32, 32));
        result[64] = (byte)(27 + signature.RecoveryId);
        w.WriteData(result);
    }

    private void Sha3(ref ParamReader p, Utf8JsonWriter w)
    {
        var data = p.ReadData("data");
        p.End();
        w.WriteHash(Keccak256.Compute(data));
    }

    private byte[] FindKey(Address address)
    {
        foreach (var account in Options.Accounts)
            if (account.Address == address && account.PrivateKey is { Length: 32 } key) return key;
        if (Options.Accounts.Count == 0)
            throw RpcException.ServerError($"unknown account {address.ToChecksumString()}: this node unlocks no accounts (only a dev node does); sign the transaction yourself and send it with eth_sendRawTransaction");
        throw RpcException.ServerError($"unknown account {address.ToChecksumString()}: the node holds no key for it");
    }
}
