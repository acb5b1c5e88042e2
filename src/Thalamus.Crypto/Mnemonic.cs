using System.Security.Cryptography;
using System.Text;

namespace Thalamus.Crypto;

/// <summary>
/// BIP-39 mnemonics over the English word list: checksum validation, entropy ↔ words, and the
/// 64-byte seed (PBKDF2-HMAC-SHA512 of the NFKD mnemonic, salt "mnemonic" + passphrase, 2048 rounds).
/// </summary>
public static class Mnemonic
{
    /// <summary>PBKDF2 rounds fixed by BIP-39.</summary>
    public const int SeedIterations = 2048;

    /// <summary>The seed length in bytes (SHA-512 output).</summary>
    public const int SeedLength = 64;

    private static readonly int[] ValidWordCounts = [12, 15, 18, 21, 24];

    /// <summary>
    /// Splits the mnemonic into NFKD-normalised words (any run of whitespace separates words;
    /// leading and trailing whitespace is ignored). Words are not lower-cased: BIP-39 words are.
    /// </summary>
    public static string[] SplitWords(string mnemonic)
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        return NormalizeKD(mnemonic, "mnemonic")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// True if this process can NFKD-normalise non-ASCII text. It cannot under
    /// InvariantGlobalization (the project's setting), where <see cref="string.Normalize(NormalizationForm)"/>
    /// silently returns its input; ASCII text needs no normalisation either way.
    /// </summary>
    public static bool CanNormalizeNonAscii { get; } = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00e9";

    private static string NormalizeKD(string text, string what)
    {
        if (Ascii.IsValid(text))
            return text;
        if (!CanNormalizeNonAscii)
            throw new NotSupportedException(
                $"The {what} contains non-ASCII characters, which BIP-39 requires to be NFKD-normalised, and Unicode normalisation is not available in this process (InvariantGlobalization). Use an ASCII {what}.");
        return text.Normalize(NormalizationForm.FormKD);
    }

    /// <summary>The canonical form the seed is computed from: NFKD words joined by single spaces.</summary>
    public static string Normalize(string mnemonic) => string.Join(' ', SplitWords(mnemonic));

    /// <summary>True if the mnemonic has 12–24 (a multiple of 3) known words and a correct checksum.</summary>
    public static bool IsValid(string mnemonic) => TryToEntropy(mnemonic, out _, out _);

    /// <summary>Throws <see cref="MnemonicException"/> saying what is wrong unless the mnemonic is valid.</summary>
    public static void Validate(string mnemonic)
    {
        if (!TryToEntropy(mnemonic, out _, out string? error))
            throw new MnemonicException(error!);
    }

    /// <summary>The entropy the mnemonic encodes (16–32 bytes); <see cref="MnemonicException"/> if invalid.</summary>
    public static byte[] ToEntropy(string mnemonic)
    {
        if (!TryToEntropy(mnemonic, out byte[]? entropy, out string? error))
            throw new MnemonicException(error!);
        return entropy!;
    }

    /// <summary>The mnemonic for 16, 20, 24, 28 or 32 bytes of entropy.</summary>
    public static string FromEntropy(ReadOnlySpan<byte> entropy)
    {
        if (entropy.Length is < 16 or > 32 || entropy.Length % 4 != 0)
            throw new ArgumentException($"BIP-39 entropy is 16, 20, 24, 28 or 32 bytes; got {entropy.Length}.", nameof(entropy));

        int checksumBits = entropy.Length / 4;
        int wordCount = (entropy.Length * 8 + checksumBits) / 11;
        byte checksum = SHA256.HashData(entropy)[0];

        // Entropy followed by the checksum's top bits, read 11 bits at a time.
        Span<byte> bits = stackalloc byte[33];
        entropy.CopyTo(bits);
        bits[entropy.Length] = checksum;

        var words = new string[wordCount];
        for (int w = 0; w < wordCount; w++)
            words[w] = Bip39EnglishWordList.GetWord(ReadBits(bits, w * 11, 11));
        return string.Join(' ', words);
    }

    /// <summary>
    /// The 64-byte BIP-39 seed. The mnemonic is validated first (a typo would otherwise silently
    /// give different keys); use <see cref="ToSeedUnchecked"/> for the bare BIP-39 function.
    /// </summary>
    public static byte[] ToSeed(string mnemonic, string passphrase = "")
    {
        Validate(mnemonic);
        return ToSeedUnchecked(mnemonic, passphrase);
    }

    /// <summary>The BIP-39 seed of any text, without checking words or checksum (as the BIP defines it).</summary>
    public static byte[] ToSeedUnchecked(string mnemonic, string passphrase = "")
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        byte[] password = Encoding.UTF8.GetBytes(Normalize(mnemonic));
        byte[] salt = Encoding.UTF8.GetBytes("mnemonic" + NormalizeKD(passphrase, "passphrase"));
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, SeedIterations, HashAlgorithmName.SHA512, SeedLength);
    }

    private static bool TryToEntropy(string mnemonic, out byte[]? entropy, out string? error)
    {
        entropy = null;
        if (mnemonic is null)
        {
            error = "The mnemonic is null.";
            return false;
        }

        string[] words = SplitWords(mnemonic);
        if (Array.IndexOf(ValidWordCounts, words.Length) < 0)
        {
            error = $"A BIP-39 mnemonic has 12, 15, 18, 21 or 24 words; this one has {words.Length}.";
            return false;
        }

        int totalBits = words.Length * 11;
        int checksumBits = totalBits / 33;
        int entropyBytes = (totalBits - checksumBits) / 8;
        Span<byte> bits = stackalloc byte[33];
        bits.Clear();
        for (int w = 0; w < words.Length; w++)
        {
            int index = Bip39EnglishWordList.IndexOf(words[w]);
            if (index < 0)
            {
                error = $"Word {w + 1} of the mnemonic, \"{words[w]}\", is not in the BIP-39 English word list.";
                return false;
            }
            WriteBits(bits, w * 11, 11, index);
        }

        byte expected = (byte)(SHA256.HashData(bits[..entropyBytes])[0] >> (8 - checksumBits));
        byte actual = (byte)(bits[entropyBytes] >> (8 - checksumBits));
        if (expected != actual)
        {
            error = "The mnemonic's checksum does not match: the words are all in the BIP-39 list, but one is wrong or they are out of order.";
            return false;
        }

        entropy = bits[..entropyBytes].ToArray();
        error = null;
        return true;
    }

    private static int ReadBits(ReadOnlySpan<byte> source, int bitOffset, int count)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            int bit = bitOffset + i;
            value = (value << 1) | ((source[bit >> 3] >> (7 - (bit & 7))) & 1);
        }
        return value;
    }

    private static void WriteBits(Span<byte> destination, int bitOffset, int count, int value)
    {
        for (int i = 0; i < count; i++)
        {
            if (((value >> (count - 1 - i)) & 1) == 0)
                continue;
            int bit = bitOffset + i;
            destination[bit >> 3] |= (byte)(0x80 >> (bit & 7));
        }
    }
}
