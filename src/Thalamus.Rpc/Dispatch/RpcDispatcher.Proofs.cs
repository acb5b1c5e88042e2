using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Rpc;

public sealed partial class RpcDispatcher
{
    /// <summary>eth_getProof(address, storageKeys, block) as geth answers it (EIP-1186).</summary>
    private void GetProof(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var slots = new List<UInt256>();
        // geth echoes a key given as 32 bytes as 32 bytes, any shorter one as a quantity.
        var fullWidth = new List<bool>();
        if (p.TryPeekKind("storageKeys", out var kind))
        {
            if (kind != JsonTokenType.StartArray) p.Check("expected an array of storage keys, got " + RpcJsonReader.Describe(kind));
            ref var r = ref p.Current;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                var isFullWidth = r.TokenType == JsonTokenType.String && HexByteLength(r.GetString()!) == 32;
                p.Check(RpcJsonReader.StorageSlot(ref r, out var slot));
                slots.Add(slot);
                fullWidth.Add(isFullWidth);
            }
        }
        var block = p.ReadOptionalBlock("block");
        p.End();

        var proof = Backend.GetProof(address, slots, block);
        w.WriteStartObject();
        w.WriteAddress(ProofJson.AddressName, proof.Address);
        w.WritePropertyName(ProofJson.AccountProofName);
        WriteNodes(w, proof.Proof);
        w.WriteQuantity(ProofJson.BalanceName, proof.Balance);
        w.WriteHash(ProofJson.CodeHashName, proof.CodeHash);
        w.WriteQuantity(ProofJson.NonceName, proof.Nonce);
        w.WriteHash(ProofJson.StorageHashName, proof.StorageHash);
        w.WritePropertyName(ProofJson.StorageProofName);
        w.WriteStartArray();
        for (var i = 0; i < proof.StorageProofs.Count; i++)
        {
            var storage = proof.StorageProofs[i];
            w.WriteStartObject();
            w.WritePropertyName(ProofJson.KeyName);
            if (i < fullWidth.Count && fullWidth[i]) w.WriteWord(storage.Key);
            else w.WriteQuantity(storage.Key);
            w.WriteQuantity(ProofJson.ValueName, storage.Value);
            w.WritePropertyName(ProofJson.ProofName);
            WriteNodes(w, storage.Proof);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>eth_createAccessList(transaction, block): {accessList, gasUsed, error?} as geth answers it.</summary>
    private void CreateAccessList(ref ParamReader p, Utf8JsonWriter w)
    {
        var request = p.ReadCallRequest("transaction", out _);
        var block = p.ReadOptionalBlock("block");
        p.RejectUnlessAbsent("stateOverrides", "state overrides are not supported");
        p.End();

        var result = Backend.CreateAccessList(request, block);
        w.WriteStartObject();
        w.WritePropertyName(ProofJson.AccessListName);
        w.WriteStartArray();
        foreach (var entry in result.AccessList)
        {
            w.WriteStartObject();
            w.WriteAddress(ProofJson.AddressName, entry.Address);
            w.WritePropertyName(ProofJson.StorageKeysName);
            w.WriteStartArray();
            foreach (var key in entry.StorageKeys) w.WriteWord(key);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteQuantity(ProofJson.GasUsedName, result.GasUsed);
        if (result.Error is not null) w.WriteString(ProofJson.ErrorFieldName, result.Error);
        w.WriteEndObject();
    }

    private static void WriteNodes(Utf8JsonWriter w, IReadOnlyList<byte[]> nodes)
    {
        w.WriteStartArray();
        foreach (var node in nodes) w.WriteData(node);
        w.WriteEndArray();
    }

    /// <summary>The byte length geth's decodeHash sees: hex digits after an optional 0x, an odd count padded.</summary>
    private static int HexByteLength(string text)
    {
        var digits = text.Length >= 2 && text[0] == '0' && (text[1] | 0x20) == 'x' ? text.Length - 2 : text.Length;
        return (digits + 1) / 2;
    }

    /// <summary>Property names of the eth_getProof and eth_createAccessList results (nested: other partials own the short names).</summary>
    private static class ProofJson
    {
        public static readonly JsonEncodedText AddressName = JsonEncodedText.Encode("address");
        public static readonly JsonEncodedText AccountProofName = JsonEncodedText.Encode("accountProof");
        public static readonly JsonEncodedText BalanceName = JsonEncodedText.Encode("balance");
        public static readonly JsonEncodedText CodeHashName = JsonEncodedText.Encode("codeHash");
        public static readonly JsonEncodedText NonceName = JsonEncodedText.Encode("nonce");
        public static readonly JsonEncodedText StorageHashName = JsonEncodedText.Encode("storageHash");
        public static readonly JsonEncodedText StorageProofName = JsonEncodedText.Encode("storageProof");
        public static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");
        public static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText ProofName = JsonEncodedText.Encode("proof");
        public static readonly JsonEncodedText AccessListName = JsonEncodedText.Encode("accessList");
        public static readonly JsonEncodedText StorageKeysName = JsonEncodedText.Encode("storageKeys");
        public static readonly JsonEncodedText GasUsedName = JsonEncodedText.Encode("gasUsed");
        public static readonly JsonEncodedText ErrorFieldName = JsonEncodedText.Encode("error");
    }
}
