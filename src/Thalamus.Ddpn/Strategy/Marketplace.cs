using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Thalamus.Ddpn.Strategy;

/// <summary>A chain as the marketplace sees it: smoothed speed (DLX gas per block), price (EVM wei per DLX gas), availability, a profile score.</summary>
public sealed record StrategyChain(ulong ChainId, double GasPerBlock, double PricePerGas, bool Available = true, double Score = 1);

/// <summary>A client's offer: the segments' DLX gas, the hard constraints (allowed chains, minimum profile score, cost range) and the preference α (1 = time only).</summary>
public sealed record StrategyOffer(long[] SegmentGas, IReadOnlySet<ulong> AllowedChains, double MinScore, double MinCost, double MaxCost, double Alpha);

/// <summary>Segment i runs on chain <c>Chains[i]</c>; segments on one chain run one after another, chains in parallel.</summary>
public sealed record ExecutionStrategy(ulong[] Chains);

/// <summary>The Proof-of-Strategy rules (docs/ddpn.md, "Proof of Strategy").</summary>
public static class StrategyRules
{
    /// <summary>Blocks until the last segment ends (each chain's segments back to back) and the total price.</summary>
    public static (double Blocks, double Cost) Evaluate(StrategyOffer offer, ExecutionStrategy strategy, IReadOnlyDictionary<ulong, StrategyChain> chains)
    {
        var load = new Dictionary<ulong, double>();
        double cost = 0;
        for (var i = 0; i < offer.SegmentGas.Length; i++)
        {
            var chain = chains[strategy.Chains[i]];
            load[chain.ChainId] = load.GetValueOrDefault(chain.ChainId) + offer.SegmentGas[i] / chain.GasPerBlock;
            cost += offer.SegmentGas[i] * chain.PricePerGas;
        }
        return (load.Values.Select(Math.Ceiling).DefaultIfEmpty(0).Max(), cost);
    }

    /// <summary>Null when the strategy is valid; otherwise why not.</summary>
    public static string? Validate(StrategyOffer offer, ExecutionStrategy strategy, IReadOnlyDictionary<ulong, StrategyChain> chains)
    {
        if (strategy.Chains.Length != offer.SegmentGas.Length)
            return $"the strategy places {strategy.Chains.Length} segments; the offer has {offer.SegmentGas.Length}";
        for (var i = 0; i < strategy.Chains.Length; i++)
        {
            var id = strategy.Chains[i];
            if (!chains.TryGetValue(id, out var chain)) return $"segment {i + 1}: unknown chain {id}";
            if (!offer.AllowedChains.Contains(id)) return $"segment {i + 1}: chain {id} is not allowed by the offer";
            if (!chain.Available) return $"segment {i + 1}: chain {id} is not available";
            if (chain.Score < offer.MinScore) return $"segment {i + 1}: chain {id} scores {chain.Score}, below the offer's {offer.MinScore}";
        }
        var (_, cost) = Evaluate(offer, strategy, chains);
        if (cost < offer.MinCost || cost > offer.MaxCost) return $"the strategy costs {cost}, outside the offer's range {offer.MinCost}..{offer.MaxCost}";
        return null;
    }

    /// <summary>
    /// The paper's ranking: the faster strategy wins unless α·(relative time gain) &lt; (1 − α)·(relative cost increase);
    /// at equal time the cheaper wins. True when <paramref name="a"/> ranks above <paramref name="b"/>.
    /// </summary>
    public static bool Ranks(double alpha, (double Blocks, double Cost) a, (double Blocks, double Cost) b)
    {
        if (a.Blocks == b.Blocks) return a.Cost < b.Cost;
        var (fast, slow) = a.Blocks < b.Blocks ? (a, b) : (b, a);
        var timeGain = (slow.Blocks - fast.Blocks) / slow.Blocks;
        var costIncrease = slow.Cost <= 0 ? 0 : (fast.Cost - slow.Cost) / slow.Cost;
        var fastWins = !(alpha * timeGain < (1 - alpha) * costIncrease);
        return fastWins == (a.Blocks < b.Blocks);
    }

    /// <summary>Chain speed smoothing: G = a·TPS_now + (1 − a)·G_previous.</summary>
    public static double Smooth(double a, double now, double previous) => a * now + (1 - a) * previous;
}

/// <summary>The reference strategist: a makespan optimizer over segments × chains under the offer's constraints, then the α rule against the cheapest plan.</summary>
public static class ReferenceStrategist
{
    public static ExecutionStrategy? Optimize(StrategyOffer offer, IReadOnlyList<StrategyChain> chains)
    {
        var usable = chains.Where(c => c.Available && offer.AllowedChains.Contains(c.ChainId) && c.Score >= offer.MinScore).ToArray();
        if (usable.Length == 0) return null;
        var byId = chains.ToDictionary(c => c.ChainId);
        var n = offer.SegmentGas.Length;

        // Fastest: longest segments first, each onto the chain where it would finish earliest (LPT on uniform machines) ...
        var order = Enumerable.Range(0, n).OrderByDescending(i => offer.SegmentGas[i]).ToArray();
        var finish = new double[usable.Length];
        var place = new int[n];
        foreach (var i in order)
        {
            var best = 0;
            for (var c = 1; c < usable.Length; c++)
                if (finish[c] + offer.SegmentGas[i] / usable[c].GasPerBlock < finish[best] + offer.SegmentGas[i] / usable[best].GasPerBlock
                    || (finish[c] + offer.SegmentGas[i] / usable[c].GasPerBlock == finish[best] + offer.SegmentGas[i] / usable[best].GasPerBlock && usable[c].PricePerGas < usable[best].PricePerGas))
                    best = c;
            place[i] = best;
            finish[best] += offer.SegmentGas[i] / usable[best].GasPerBlock;
        }
        // ... improved by moving single segments off the busiest chain while that shortens the makespan (or keeps it and saves cost).
        for (var improved = true; improved;)
        {
            improved = false;
            var busiest = Array.IndexOf(finish, finish.Max());
            for (var i = 0; i < n && !improved; i++)
            {
                if (place[i] != busiest) continue;
                for (var c = 0; c < usable.Length; c++)
                {
                    if (c == busiest) continue;
                    var moved = finish[c] + offer.SegmentGas[i] / usable[c].GasPerBlock;
                    if (moved < finish[busiest] - 1e-9)
                    {
                        finish[busiest] -= offer.SegmentGas[i] / usable[busiest].GasPerBlock;
                        finish[c] = moved;
                        place[i] = c;
                        improved = true;
                        break;
                    }
                }
            }
        }
        var fastest = new ExecutionStrategy([.. place.Select(c => usable[c].ChainId)]);
        // Cheapest: every segment on the cheapest usable chain.
        var cheap = usable.MinBy(c => c.PricePerGas)!;
        var cheapest = new ExecutionStrategy([.. Enumerable.Repeat(cheap.ChainId, n)]);

        var candidates = new[] { fastest, cheapest }.Where(s => StrategyRules.Validate(offer, s, byId) is null).ToArray();
        if (candidates.Length == 0) return null;
        return candidates.Aggregate((best, s) =>
            StrategyRules.Ranks(offer.Alpha, StrategyRules.Evaluate(offer, s, byId), StrategyRules.Evaluate(offer, best, byId)) ? s : best);
    }
}

/// <summary>A Pythia validator: stake and reliability (0..1).</summary>
public sealed class Pythia(string name, double stake, double reliability = 0.5)
{
    public string Name => name;
    public double Stake => stake;
    public double Reliability { get; set; } = reliability;
}

/// <summary>Validator draw and reliability updates.</summary>
public static class PythiaDraw
{
    public const double StakeWeight = 0.4, RandomWeight = 0.2, ReliabilityWeight = 0.4, ReliabilityStep = 0.05;

    /// <summary>The <paramref name="count"/> validators with the highest 0.4·stake share + 0.2·u + 0.4·reliability share, u uniform from SHA-256(prevrandao ‖ index).</summary>
    public static IReadOnlyList<Pythia> Draw(IReadOnlyList<Pythia> pythians, int count, ReadOnlySpan<byte> prevrandao)
    {
        var stakes = pythians.Sum(p => p.Stake);
        var reliabilities = pythians.Sum(p => p.Reliability);
        var scores = new double[pythians.Count];
        Span<byte> seed = stackalloc byte[prevrandao.Length + 4];
        prevrandao.CopyTo(seed);
        Span<byte> hash = stackalloc byte[32];
        for (var i = 0; i < pythians.Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(seed[prevrandao.Length..], i);
            SHA256.HashData(seed, hash);
            var u = (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) / (double)(1UL << 53);
            scores[i] = StakeWeight * (stakes > 0 ? pythians[i].Stake / stakes : 0) + RandomWeight * u
                + ReliabilityWeight * (reliabilities > 0 ? pythians[i].Reliability / reliabilities : 0);
        }
        return [.. Enumerable.Range(0, pythians.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(count).Select(i => pythians[i])];
    }

    /// <summary>The majority verdict (at least 51% of those drawn); each validator's reliability rises when it agrees, falls otherwise.</summary>
    public static bool? Settle(IReadOnlyList<(Pythia Validator, bool Verdict)> votes)
    {
        var yes = votes.Count(v => v.Verdict);
        bool? majority = yes * 100 >= 51 * votes.Count ? true : (votes.Count - yes) * 100 >= 51 * votes.Count ? false : null;
        foreach (var (validator, verdict) in votes)
            validator.Reliability = Math.Clamp(validator.Reliability + (majority == verdict ? ReliabilityStep : -ReliabilityStep), 0, 1);
        return majority;
    }
}

/// <summary>Balances in a plain ERC20-like stand-in for the Hermes token (no Hermes exists yet): the client's escrow pays the winning strategist.</summary>
public sealed class StandInToken
{
    private readonly Dictionary<string, decimal> _balances = [];

    public decimal BalanceOf(string who) => _balances.GetValueOrDefault(who);

    public void Mint(string who, decimal amount) => _balances[who] = BalanceOf(who) + amount;

    public void Transfer(string from, string to, decimal amount)
    {
        if (amount < 0 || BalanceOf(from) < amount) throw new InvalidOperationException($"{from} holds {BalanceOf(from)}, cannot pay {amount}");
        _balances[from] -= amount;
        _balances[to] = BalanceOf(to) + amount;
    }
}
