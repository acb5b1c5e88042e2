using System.Globalization;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Conformance;

/// <summary>Judges one TransactionTests case: decode, validate, recover, and compare with the expectation.</summary>
public static class TransactionTestCase
{
    /// <summary>Forks in order; the expectation used is Cancun's, or the latest one a case names.</summary>
    public static readonly IReadOnlyList<string> Forks =
    [
        "Frontier", "Homestead", "EIP150", "EIP158", "Byzantium", "Constantinople", "ConstantinopleFix",
        "Istanbul", "Berlin", "London", "Paris", "Shanghai", "Cancun",
    ];

    public static CaseOutcome Run(string name, JsonElement testCase, ulong chainId)
    {
        if (testCase.ValueKind != JsonValueKind.Object)
            return CaseOutcome.Fail(name, "the test case is not a JSON object");
        if (!testCase.TryGetProperty("txbytes", out var txBytesElement) || txBytesElement.ValueKind != JsonValueKind.String)
            return CaseOutcome.Fail(name, "the test case has no 'txbytes' string");
        if (!testCase.TryGetProperty("result", out var results) || results.ValueKind != JsonValueKind.Object)
            return CaseOutcome.Fail(name, "the test case has no 'result' object");

        string? fork = null;
        JsonElement expectation = default;
        foreach (var candidate in results.EnumerateObject())
        {
            var rank = IndexOf(candidate.Name);
            if (rank >= 0 && (fork is null || rank > IndexOf(fork)))
            {
                fork = candidate.Name;
                expectation = candidate.Value;
            }
        }
        if (fork is null)
            return CaseOutcome.Skip(name, $"no expectation for a fork this client knows (found: {string.Join(", ", results.EnumerateObject().Select(p => p.Name))})");

        if (!Hex.TryDecode(txBytesElement.GetString()!, out var raw))
            return CaseOutcome.Fail(name, "'txbytes' is not valid hex");

        var verdict = Judge(raw, chainId);
        if (expectation.TryGetProperty("exception", out var exception))
        {
            if (verdict.Crash is not null)
                return CaseOutcome.Fail(name, $"[{fork}] expected {exception.GetString()}, but decoding crashed instead of rejecting: {verdict.Crash}");
            if (verdict.Error is not null)
                return new CaseOutcome(name, CaseStatus.Passed, $"[{fork}] rejected as expected ({exception.GetString()}): {verdict.Error}");
            return CaseOutcome.Fail(name,
                $"[{fork}] expected {exception.GetString()}, but the transaction was accepted (sender {verdict.Sender}, hash {verdict.Transaction!.Hash})");
        }

        if (verdict.Crash is not null) return CaseOutcome.Fail(name, $"[{fork}] valid transaction crashed the decoder: {verdict.Crash}");
        if (verdict.Error is not null) return CaseOutcome.Fail(name, $"[{fork}] valid transaction rejected: {verdict.Error}");
        var tx = verdict.Transaction!;

        var mismatches = new List<string>();
        if (expectation.TryGetProperty("hash", out var hashElement))
        {
            if (!Hash256.TryParse(hashElement.GetString() ?? "", out var expectedHash)) return CaseOutcome.Fail(name, "'hash' is not a 32-byte hex string");
            if (!tx.Hash.Equals(expectedHash)) mismatches.Add($"hash {tx.Hash}, expected {expectedHash}");
        }
        if (expectation.TryGetProperty("sender", out var senderElement))
        {
            if (!Address.TryParse(senderElement.GetString() ?? "", out var expectedSender)) return CaseOutcome.Fail(name, "'sender' is not a 20-byte hex string");
            if (!verdict.Sender!.Value.Equals(expectedSender)) mismatches.Add($"sender {verdict.Sender}, expected {expectedSender}");
        }
        if (expectation.TryGetProperty("intrinsicGas", out var gasElement))
        {
            if (!TryParseHexUInt64(gasElement.GetString(), out var expectedGas)) return CaseOutcome.Fail(name, "'intrinsicGas' is not a hex number");
            var gas = IntrinsicGas.Calculate(tx);
            if (gas != expectedGas) mismatches.Add($"intrinsic gas {gas}, expected {expectedGas}");
        }
        return mismatches.Count == 0 ? CaseOutcome.Pass(name) : CaseOutcome.Fail(name, $"[{fork}] " + string.Join("; ", mismatches));
    }

    /// <summary>Decodes, recovers the sender and validates for <paramref name="chainId"/> (<see cref="TransactionValidator"/>, as the pool and the processor do), catching every failure.</summary>
    public static TransactionTestVerdict Judge(ReadOnlySpan<byte> raw, ulong chainId)
    {
        try
        {
            // The pool's and the processor's order: decode, recover the sender, then the validity rules.
            var tx = TransactionDecoder.Decode(raw);
            var sender = tx.RecoverSender();
            if (TransactionValidator.CheckStateless(tx, chainId, sender) is { } rejection) return new TransactionTestVerdict(tx, null, rejection.Message, null);
            return new TransactionTestVerdict(tx, sender, null, null);
        }
        catch (InvalidTransactionException e)
        {
            return new TransactionTestVerdict(null, null, $"{e.GetType().Name}: {e.Message}", null);
        }
        catch (Exception e)
        {
            // Anything but a typed rejection is a bug, even when the case expects a rejection.
            return new TransactionTestVerdict(null, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static int IndexOf(string fork)
    {
        for (var i = 0; i < Forks.Count; i++)
            if (Forks[i] == fork) return i;
        return -1;
    }

    private static bool TryParseHexUInt64(string? text, out ulong value)
    {
        value = 0;
        if (text is null || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return false;
        return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
