using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Chain;
using Thalamus.Core;
using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Storage.Tests;

public sealed class LogIndexTests : IClassFixture<LogIndexFixture>
{
    private static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(300);
    private readonly LogIndexFixture _fixture;
    private readonly ITestOutputHelper _output;

    public LogIndexTests(LogIndexFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    private ulong Head => _fixture.Store.HeadNumber!.Value;

    [Fact]
    public void The_fixture_holds_about_a_hundred_thousand_logs()
    {
        Assert.InRange(_fixture.LogCount, 90_000, 110_000);
        Assert.Equal(_fixture.LogCount, _fixture.Store.GetLogs(new LogFilter()).Count());
    }

    [Fact]
    public void Any_filter_returns_exactly_what_the_reference_store_returns()
    {
        var factory = _fixture.Factory;
        var unknownAddress = Address.Parse("0x00000000000000000000000000000000deadbeef");
        var addresses = Gen.Frequency(
            (3, Gen.Constant<IReadOnlyCollection<Address>?>(null)),
            (1, Gen.Constant<IReadOnlyCollection<Address>?>(Array.Empty<Address>())),
            (5, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(factory.Emitters.Append(unknownAddress).ToArray()), n))
                .Select(a => (IReadOnlyCollection<Address>?)a)));
        Gen<IReadOnlyCollection<Hash256>?> Position(IReadOnlyList<Hash256> values) => Gen.Frequency(
            (2, Gen.Constant<IReadOnlyCollection<Hash256>?>(null)),
            (3, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(values.ToArray()), n)).Select(a => (IReadOnlyCollection<Hash256>?)a)));
        // Up to five positions (a fifth can never match): topic 0 from the event signatures, the rest from the accounts.
        var positions = Gen.Zip(Gen.Choose(0, 5), Gen.Zip(Position(factory.Events), Gen.ArrayOf(Position(factory.Accounts), 4)))
            .Select(t => t.Item1 == 0
                ? new List<IReadOnlyCollection<Hash256>?>()
                : new List<IReadOnlyCollection<Hash256>?> { t.Item2.Item1 }.Concat(t.Item2.Item2.Take(t.Item1 - 1)).ToList());
        var topics = Gen.Frequency(
            (2, Gen.Constant<IReadOnlyList<IReadOnlyCollection<Hash256>?>?>(null)),
            (5, positions.Select(list => (IReadOnlyList<IReadOnlyCollection<Hash256>?>?)list)));
        var ranges = Gen.Choose(0, (int)Head + 5).SelectMany(from => Gen.Elements(0, 1, 3, 20, 200).Select(length => ((ulong)from, (ulong)(from + length))));
        var byHash = Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, (int)Head)));
        var filters = Gen.Zip(Gen.Zip(addresses, topics), Gen.Zip(ranges, byHash)).Select(t => new LogFilter
        {
            Addresses = t.Item1.Item1,
            Topics = t.Item1.Item2,
            FromBlock = t.Item2.Item1.Item1,
            ToBlock = t.Item2.Item1.Item2,
            BlockHash = t.Item2.Item2 < 0 ? null : _fixture.Reference.GetHeader((ulong)t.Item2.Item2)!.Hash,
        });

        Check.One(Settings, Prop.ForAll(filters.ToArbitrary(), filter =>
        {
            StoreAssert.SameLogs(_fixture.Reference.GetLogs(filter), _fixture.Store.GetLogs(filter));
            return true;
        }));
    }

    [Fact]
    public void Large_address_and_topic_sets_are_matched_too()
    {
        var filter = new LogFilter
        {
            Addresses = _fixture.Factory.Emitters.Concat(Enumerable.Range(0, 80).Select(i => Address.FromUInt256(new UInt256((ulong)i + 1)))).ToArray(),
            Topics = [null, _fixture.Factory.Accounts.Take(100).ToArray()],
        };
        var expected = _fixture.Reference.GetLogs(filter).ToList();
        Assert.NotEmpty(expected);
        StoreAssert.SameLogs(expected, _fixture.Store.GetLogs(filter));
    }

    public static TheoryData<string> Shapes => ["range", "address", "topic0", "topic1", "topic2", "topic3", "address+topic0", "addresses+topic0+topic2", "blockhash"];

    private LogFilter Shape(string shape)
    {
        var f = _fixture.Factory;
        var from = Head - 20;
        return shape switch
        {
            "range" => new LogFilter { FromBlock = from, ToBlock = Head },
            "address" => new LogFilter { Addresses = [f.Emitters[3]] },
            "topic0" => new LogFilter { Topics = [[f.Events[2]]] },
            "topic1" => new LogFilter { Topics = [null, [f.Accounts[5]]] },
            "topic2" => new LogFilter { Topics = [null, null, [f.Accounts[6]]] },
            "topic3" => new LogFilter { Topics = [null, null, null, [f.Accounts[7]]] },
            "address+topic0" => new LogFilter { FromBlock = from, Addresses = [f.Emitters[0]], Topics = [[f.Events[0]]] },
            "addresses+topic0+topic2" => new LogFilter { Addresses = [f.Emitters[1], f.Emitters[2]], Topics = [[f.Events[0], f.Events[1]], null, [f.Accounts[8]]] },
            "blockhash" => new LogFilter { BlockHash = _fixture.Reference.GetHeader(Head / 2)!.Hash },
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_filter_shape_seeks_an_index_instead_of_scanning_all_logs(string shape)
    {
        var filter = Shape(shape);
        var plan = _fixture.Store.ExplainLogQuery(filter);
        _output.WriteLine(string.Join("\n", plan));
        Assert.DoesNotContain(plan, step => step.Contains("SCAN TABLE logs", StringComparison.Ordinal) || step.StartsWith("SCAN l", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH TABLE logs AS l USING", StringComparison.Ordinal));
        // The joins for block and transaction hashes are primary-key lookups.
        Assert.Contains(plan, step => step.StartsWith("SEARCH TABLE blocks AS b USING PRIMARY KEY", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH TABLE transactions AS t USING PRIMARY KEY", StringComparison.Ordinal));

        // Timing is reported, not asserted: the best of five (the first pays for preparing the statement).
        var best = double.MaxValue;
        var count = 0;
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            count = _fixture.Store.GetLogs(filter).Count();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        _output.WriteLine($"{shape}: {count} logs in {best:F2} ms over {_fixture.LogCount} stored");
    }
}
