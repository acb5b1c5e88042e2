using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Thalamus.Rpc.Tests;

/// <summary>
/// The admin endpoint's token check, as geth's authenticated RPC: HS256 with the 32-byte shared
/// secret, <c>iat</c> within 60 s of the node's clock either way, and a reason for every refusal.
/// </summary>
public sealed class JwtAuthenticatorTests
{
    private static readonly byte[] Secret = Convert.FromHexString("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90");
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    /// <summary>A clock that stands still where the test puts it.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static JwtAuthenticator Node() => new(Secret, new StoppedClock(Now));

    private static string Bearer(string token) => "Bearer " + token;

    private static string Signed(string headerJson, string claimsJson, byte[]? secret = null)
    {
        var signed = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claimsJson));
        return signed + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret ?? Secret, Encoding.ASCII.GetBytes(signed)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(60)]
    public void A_token_issued_within_sixty_seconds_of_the_node_clock_is_accepted(int offsetSeconds)
    {
        Assert.Null(Node().Refuse(Bearer(JwtAuthenticator.CreateToken(Secret, Now.AddSeconds(offsetSeconds)))));
    }

    [Fact]
    public void A_token_issued_more_than_sixty_seconds_ago_is_stale()
    {
        Assert.Equal("stale token: issued 61 s ago, more than 60 s", Node().Refuse(Bearer(JwtAuthenticator.CreateToken(Secret, Now.AddSeconds(-61)))));
    }

    [Fact]
    public void A_token_issued_more_than_sixty_seconds_ahead_is_refused()
    {
        Assert.Equal("future token: issued 3600 s ahead of the node's clock, more than 60 s", Node().Refuse(Bearer(JwtAuthenticator.CreateToken(Secret, Now.AddHours(1)))));
    }

    [Fact]
    public void A_token_signed_with_another_secret_is_refused()
    {
        var other = (byte[])Secret.Clone();
        other[0] ^= 1;
        Assert.Equal("invalid token: the signature does not match the node's JWT secret", Node().Refuse(Bearer(JwtAuthenticator.CreateToken(other, Now))));
    }

    [Fact]
    public void A_token_whose_claims_were_changed_after_signing_is_refused()
    {
        var token = JwtAuthenticator.CreateToken(Secret, Now.AddMinutes(-10));
        var parts = token.Split('.');
        var forged = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"iat\":{Now.ToUnixTimeSeconds()}}}")) + "." + parts[2];
        Assert.StartsWith("invalid token", Node().Refuse(Bearer(forged)));
    }

    [Theory]
    [InlineData(null, "missing token")]
    [InlineData("", "missing token")]
    [InlineData("Basic dXNlcjpwYXNz", "missing token: the Authorization header must be 'Bearer <JWT>'")]
    [InlineData("Bearer abc", "malformed token: a JWT is three base64url parts")]
    [InlineData("Bearer a.b.c.d", "malformed token: a JWT is three base64url parts")]
    [InlineData("Bearer !!.e30.AA", "malformed token: the header is not base64url")]
    public void A_missing_or_malformed_token_is_refused_with_the_reason(string? header, string reason)
    {
        Assert.StartsWith(reason, Node().Refuse(header));
    }

    [Fact]
    public void Only_hs256_is_accepted_so_an_unsigned_token_cannot_pass()
    {
        var iat = Now.ToUnixTimeSeconds();
        Assert.Equal("unsupported token: signing method 'none', want HS256", Node().Refuse(Bearer(Signed("""{"alg":"none"}""", $$"""{"iat":{{iat}}}"""))));
        Assert.Equal("unsupported token: signing method 'HS512', want HS256", Node().Refuse(Bearer(Signed("""{"alg":"HS512","typ":"JWT"}""", $$"""{"iat":{{iat}}}"""))));
    }

    [Fact]
    public void A_token_without_issued_at_or_past_its_expiry_is_refused()
    {
        var iat = Now.ToUnixTimeSeconds();
        Assert.Equal("invalid token: it has no 'iat' (issued at) claim", Node().Refuse(Bearer(Signed("""{"alg":"HS256"}""", """{"sub":"x"}"""))));
        Assert.Equal("expired token: 'exp' passed 5 s ago", Node().Refuse(Bearer(Signed("""{"alg":"HS256"}""", $$"""{"iat":{{iat}},"exp":{{iat - 5}}}"""))));
        Assert.Null(Node().Refuse(Bearer(Signed("""{"alg":"HS256"}""", $$"""{"iat":{{iat}},"exp":{{iat + 5}},"id":"op"}"""))));
        Assert.StartsWith("malformed token: the claims", Node().Refuse(Bearer(Signed("""{"alg":"HS256"}""", """{"iat":"yesterday"}"""))));
    }

    [Fact]
    public void The_secret_file_is_read_as_geth_writes_it()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "  0x" + Convert.ToHexStringLower(Secret) + "\n");
            Assert.Equal(Secret, JwtAuthenticator.ReadSecretFile(path));
            File.WriteAllText(path, Convert.ToHexString(Secret));
            Assert.Equal(Secret, JwtAuthenticator.ReadSecretFile(path));

            File.WriteAllText(path, "0x1234");
            var e = Assert.Throws<InvalidDataException>(() => JwtAuthenticator.ReadSecretFile(path));
            Assert.Contains("32 bytes written as 64 hex digits", e.Message);
            Assert.Contains("holds 4 hex digits", e.Message);
            File.WriteAllText(path, new string('z', 64));
            Assert.Contains("holds other characters", Assert.Throws<InvalidDataException>(() => JwtAuthenticator.ReadSecretFile(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_created_secret_file_is_random_private_to_its_owner_and_reads_back()
    {
        var dir = Directory.CreateTempSubdirectory("thalamus-jwt-");
        try
        {
            var first = JwtAuthenticator.CreateSecretFile(Path.Combine(dir.FullName, "a"));
            var second = JwtAuthenticator.CreateSecretFile(Path.Combine(dir.FullName, "b"));
            Assert.Equal(JwtAuthenticator.SecretLength, first.Length);
            Assert.NotEqual(first, second);
            Assert.Equal(first, JwtAuthenticator.ReadSecretFile(Path.Combine(dir.FullName, "a")));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.FullName, "a")));
            // Never overwrites an existing secret.
            Assert.Throws<IOException>(() => JwtAuthenticator.CreateSecretFile(Path.Combine(dir.FullName, "a")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_secret_of_the_wrong_length_is_refused()
    {
        Assert.Contains("32 bytes, not 16", Assert.Throws<ArgumentException>(() => new JwtAuthenticator(new byte[16])).Message);
    }
}
