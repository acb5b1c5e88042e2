using Thalamus.Core;

namespace Thalamus.Evm.Tests.Precompiles;

internal static class PrecompileTestInput
{
    public static Address At(byte last)
    {
        var bytes = new byte[20];
        bytes[19] = last;
        return new Address(bytes);
    }

    public static string Word(ulong value) => value.ToString("x64");

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
