using System.Text;

namespace Thalamus.Crypto;

public static partial class HdKeyDerivation
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Base58 of payload || first 4 bytes of SHA-256(SHA-256(payload)), as extended keys are written.</summary>
    private static string Base58Check(ReadOnlySpan<byte> payload)
    {
        byte[] data = new byte[payload.Length + 4];
        payload.CopyTo(data);
        Span<byte> hash = stackalloc byte[32];
        Sha256.Compute(payload, hash);
        Sha256.Compute(hash, hash);
        hash[..4].CopyTo(data.AsSpan(payload.Length));
        string encoded = Base58(data);
        Array.Clear(data);
        return encoded;
    }

    private static string Base58(byte[] data)
    {
        int leadingZeros = 0;
        while (leadingZeros < data.Length && data[leadingZeros] == 0)
            leadingZeros++;

        // Repeated division of the big-endian number by 58; fine for the 82 bytes of a key.
        byte[] number = (byte[])data.Clone();
        var digits = new StringBuilder();
        int start = leadingZeros;
        while (start < number.Length)
        {
            int remainder = 0;
            for (int i = start; i < number.Length; i++)
            {
                int value = (remainder << 8) | number[i];
                number[i] = (byte)(value / 58);
                remainder = value % 58;
            }
            digits.Append(Base58Alphabet[remainder]);
            while (start < number.Length && number[start] == 0)
                start++;
        }
        Array.Clear(number);
        digits.Append('1', leadingZeros);
        char[] chars = digits.ToString().ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }
}
