using FsCheck;
using FsCheck.Fluent;
using Thalamus.Cli.Configuration;
using Xunit;

namespace Thalamus.Cli.Tests;

public sealed class DurationTextTests
{
    [Fact]
    public void Format_parses_back_to_the_same_duration()
    {
        Prop.ForAll(Gen.Choose(0, 86_400_000).ToArbitrary(), ms =>
        {
            var duration = TimeSpan.FromMilliseconds(ms);
            return DurationText.TryParse(DurationText.Format(duration), out var back) && back == duration;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("ms")]
    [InlineData("1e3")]
    [InlineData("NaN")]
    [InlineData("1h")]
    public void Rejects_what_is_not_a_duration(string? text) => Assert.False(DurationText.TryParse(text, out _));
}
