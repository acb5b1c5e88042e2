using System.Diagnostics;
using Thalamus.Ddpn.Strategy;
using Xunit.Abstractions;

namespace Thalamus.Ddpn.Tests;

/// <summary>Proof of Strategy: validity, the α ranking, the reference optimizer, the Pythia draw and a market simulation.</summary>
public sealed class StrategyTests(ITestOutputHelper output)
{
    private static StrategyChain[] Chains(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => new StrategyChain(901 + (ulong)i, 1e6 * (1 + random.Next(8)), 1 + random.Next(10), Score: random.NextDouble()))];
    }

    private static StrategyOffer Offer(StrategyChain[] chains, int segments, int seed, double alpha = 0.8, double maxCost = double.MaxValue)
    {
        var random = new Random(seed);
        return new StrategyOffer([.. Enumerable.Range(0, segments).Select(_ => (long)(1e6 * (1 + random.Next(20))))],
            chains.Select(c => c.ChainId).ToHashSet(), 0, 0, maxCost, alpha);
    }

    [Fact]
    public void A_strategy_that_breaks_a_client_constraint_is_rejected_with_the_constraint_it_breaks()
    {
        var chains = Chains(3, 1);
        var byId = chains.ToDictionary(c => c.ChainId);
        var offer = Offer(chains, 4, 2) with { AllowedChains = new HashSet<ulong> { 901, 902 } };
        Assert.Equal("segment 3: chain 903 is not allowed by the offer", StrategyRules.Validate(offer, new ExecutionStrategy([901, 902, 903, 901]), byId));
        Assert.Equal("segment 1: unknown chain 999", StrategyRules.Validate(offer, new ExecutionStrategy([999, 902, 902, 901]), byId));
        var cheapOffer = offer with { MaxCost = 1 };
        Assert.StartsWith("the strategy costs ", StrategyRules.Validate(cheapOffer, new ExecutionStrategy([901, 902, 902, 901]), byId));
        Assert.Null(StrategyRules.Validate(offer, new ExecutionStrategy([901, 902, 902, 901]), byId));
    }

    [Fact]
    public void The_faster_strategy_wins_unless_alpha_times_its_time_gain_is_below_the_rest_times_its_cost_increase()
    {
        (double, double) fastDear = (10, 200), slowCheap = (20, 100); // half the time, twice the cost
        Assert.True(StrategyRules.Ranks(0.8, fastDear, slowCheap)); // 0.8 * 0.5 >= 0.2 * 1
        Assert.False(StrategyRules.Ranks(0.3, fastDear, slowCheap)); // 0.3 * 0.5 < 0.7 * 1
        Assert.True(StrategyRules.Ranks(0.3, slowCheap, fastDear));
        Assert.Equal(0.3 * 10 + 0.7 * 20, StrategyRules.Smooth(0.3, 10, 20), 9);
    }

    [Fact]
    public void The_reference_strategist_beats_every_random_strategy_and_plans_64_segments_on_16_chains()
    {
        var chains = Chains(16, 3);
        var byId = chains.ToDictionary(c => c.ChainId);
        var offer = Offer(chains, 64, 4, alpha: 1);
        var clock = Stopwatch.StartNew();
        var best = ReferenceStrategist.Optimize(offer, chains)!;
        clock.Stop();
        Assert.Null(StrategyRules.Validate(offer, best, byId));
        var score = StrategyRules.Evaluate(offer, best, byId);
        var random = new Random(5);
        for (var t = 0; t < 2000; t++)
        {
            var other = new ExecutionStrategy([.. offer.SegmentGas.Select(_ => chains[random.Next(chains.Length)].ChainId)]);
            Assert.False(StrategyRules.Ranks(1, StrategyRules.Evaluate(offer, other, byId), score));
        }
        output.WriteLine($"reference strategist, 64 segments x 16 chains: {clock.Elapsed.TotalMilliseconds:F2} ms, {score.Blocks} blocks");
    }

    [Fact]
    public void In_a_market_of_strategists_the_honest_optimal_one_is_paid_and_a_dishonest_validator_loses_reliability()
    {
        var chains = Chains(6, 7);
        var byId = chains.ToDictionary(c => c.ChainId);
        var token = new StandInToken();
        var pythians = Enumerable.Range(0, 7).Select(i => new Pythia($"pythia{i}", stake: 10 + i)).ToList();
        var dishonest = pythians[3];
        var startReliability = dishonest.Reliability;
        var honestWins = 0;
        for (var round = 0; round < 20; round++)
        {
            var offer = Offer(chains, 12, 100 + round, alpha: 0.9);
            token.Mint("client", 100);
            token.Transfer("client", "escrow", 100);
            // N strategists: the reference optimizer and three that sample random placements.
            var proposals = new List<(string Who, ExecutionStrategy Strategy)> { ("reference", ReferenceStrategist.Optimize(offer, chains)!) };
            var random = new Random(round);
            for (var s = 0; s < 3; s++)
                proposals.Add(($"random{s}", new ExecutionStrategy([.. offer.SegmentGas.Select(_ => chains[random.Next(chains.Length)].ChainId)])));
            var valid = proposals.Where(p => StrategyRules.Validate(offer, p.Strategy, byId) is null).ToList();
            var winner = valid.Aggregate((best, p) =>
                StrategyRules.Ranks(offer.Alpha, StrategyRules.Evaluate(offer, p.Strategy, byId), StrategyRules.Evaluate(offer, best.Strategy, byId)) ? p : best);
            // Validators drawn for the winning strategy vote; the dishonest one always votes against the truth.
            var drawn = PythiaDraw.Draw(pythians, 5, BitConverter.GetBytes(round * 7919L));
            var truth = StrategyRules.Validate(offer, winner.Strategy, byId) is null;
            var verdict = PythiaDraw.Settle([.. drawn.Select(p => (p, p == dishonest ? !truth : truth))]);
            Assert.True(verdict);
            token.Transfer("escrow", winner.Who, 100);
            if (winner.Who == "reference") honestWins++;
        }
        Assert.True(dishonest.Reliability < startReliability, $"{dishonest.Reliability}");
        Assert.All(pythians.Where(p => p != dishonest), p => Assert.True(p.Reliability >= startReliability));
        Assert.Equal(100m * honestWins, token.BalanceOf("reference"));
        Assert.True(honestWins > 10, $"{honestWins} wins of 20");
    }
}
