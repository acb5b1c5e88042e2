using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Thalamus.Rpc;

/// <summary>
/// The bearer-token check of the admin endpoint, as geth's authenticated RPC (<c>--authrpc.jwtsecret</c>)
/// does it: every request carries <c>Authorization: Bearer &lt;JWT&gt;</c>, an HS256 token signed with
/// the 32-byte shared secret, whose <c>iat</c> (issued at, Unix seconds) is within
/// <see cref="AllowedDrift"/> of the node's clock (and whose <c>exp</c>, if present, has not passed).
/// Anything else is refused with the reason, which the server sends with HTTP 401.
/// </summary>
public sealed class JwtAuthenticator
{
    /// <summary>Bytes of the shared secret (geth: 32).</summary>
    public const int SecretLength = 32;

    /// <summary>How far <c>iat</c> may be from the node's clock, either way (geth: 60 s).</summary>
    public static readonly TimeSpan AllowedDrift = TimeSpan.FromSeconds(60);

    private const string BearerPrefix = "Bearer ";
    private static readonly byte[] HeaderJson = """{"alg":"HS256","typ":"JWT"}"""u8.ToArray();

    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    /// <param name="secret">The 32-byte shared secret.</param>
    /// <param name="time">The node's clock (<see cref="TimeProvider.System"/> unless a test moves it).</param>
    public JwtAuthenticator(ReadOnlySpan<byte> secret, TimeProvider? time = null)
    {
        if (secret.Length != SecretLength) throw new ArgumentException($"a JWT secret is {SecretLength} bytes, not {secret.Length}", nameof(secret));
        _secret = secret.ToArray();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Checks an <c>Authorization</c> header value; returns null when it carries a valid token,
    /// else why not ("missing token", "invalid signature", "stale token: issued 3600 s ago", ...).
    /// </summary>
    public string? Refuse(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization)) return "missing token: send 'Authorization: Bearer <JWT>' (HS256, signed with the node's JWT secret)";
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)) return "missing token: the Authorization header must be 'Bearer <JWT>'";
        var token = authorization.AsSpan(BearerPrefix.Length).Trim();

        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || token[(firstDot + 1)..lastDot].Contains('.'))
            return "malformed token: a JWT is three base64url parts separated by '.'";
        if (Decode(token[..firstDot]) is not { } header) return "malformed token: the header is not base64url";
        if (Decode(token[(firstDot + 1)..lastDot]) is not { } payload) return "malformed token: the claims are not base64url";
        if (Decode(token[(lastDot + 1)..]) is not { } signature) return "malformed token: the signature is not base64url";

        if (ReadAlgorithm(header) is not "HS256" and var alg) return $"unsupported token: signing method '{alg ?? "none"}', want HS256";
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(token[..lastDot].ToString()), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, signature)) return "invalid token: the signature does not match the node's JWT secret";

        if (!ReadClaims(payload, out var issuedAt, out var expiresAt)) return "malformed token: the claims are not a JSON object of numbers";
        if (issuedAt is not { } iat) return "invalid token: it has no 'iat' (issued at) claim";
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var drift = (long)AllowedDrift.TotalSeconds;
        if (now - iat > drift) return $"stale token: issued {now - iat} s ago, more than {drift} s";
        if (iat - now > drift) return $"future token: issued {iat - now} s ahead of the node's clock, more than {drift} s";
        if (expiresAt is { } exp && now >= exp) return $"expired token: 'exp' passed {now - exp} s ago";
        return null;
    }

    /// <summary>A token signed with <paramref name="secret"/>, issued at <paramref name="issuedAt"/> (what an operator's tool sends; <c>thalamus jwt</c> prints one).</summary>
    public static string CreateToken(ReadOnlySpan<byte> secret, DateTimeOffset issuedAt)
    {
        var claims = Encoding.ASCII.GetBytes("{\"iat\":" + issuedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "}");
        var signed = Base64Url.EncodeToString(HeaderJson) + "." + Base64Url.EncodeToString(claims);
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// Reads a secret file as geth does: 32 bytes as 64 hex digits, optionally <c>0x</c>-prefixed,
    /// surrounding white space ignored. Throws <see cref="InvalidDataException"/> saying what is wrong
    /// (and <see cref="IOException"/> when the file cannot be read).
    /// </summary>
    public static byte[] ReadSecretFile(string path)
    {
        var text = File.ReadAllText(path).Trim();
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length != SecretLength * 2 || !digits.All(char.IsAsciiHexDigit))
            throw new InvalidDataException($"{path}: a JWT secret is {SecretLength} bytes written as {SecretLength * 2} hex digits (optionally 0x-prefixed), as geth's --authrpc.jwtsecret; this file holds {(digits.All(char.IsAsciiHexDigit) ? digits.Length + " hex digits" : "other characters")}");
        return Convert.FromHexString(digits);
    }

    /// <summary>Writes a new random secret to <paramref name="path"/> (0x-hex, readable by its owner only, as geth does when the file is missing) and returns it.</summary>
    public static byte[] CreateSecretFile(string path)
    {
        var secret = RandomNumberGenerator.GetBytes(SecretLength);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            writer.Write("0x" + Convert.ToHexStringLower(secret));
        return secret;
    }

    private static byte[]? Decode(ReadOnlySpan<char> part)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? ReadAlgorithm(byte[] header)
    {
        try
        {
            var reader = new Utf8JsonReader(header);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAlg = reader.ValueTextEquals("alg"u8);
                reader.Read();
                if (isAlg) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool ReadClaims(byte[] payload, out long? issuedAt, out long? expiresAt)
    {
        issuedAt = null;
        expiresAt = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isIat = reader.ValueTextEquals("iat"u8);
                var isExp = reader.ValueTextEquals("exp"u8);
                reader.Read();
                if (isIat || isExp)
                {
                    // NumericDate may carry a fraction; whole seconds are what is compared.
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds) || !double.IsFinite(seconds)
                        || seconds < long.MinValue / 2 || seconds > long.MaxValue / 2) return false;
                    if (isIat) issuedAt = (long)Math.Floor(seconds);
                    else expiresAt = (long)Math.Floor(seconds);
                }
                else
                {
                    reader.Skip();
                }
            }
            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
