using System.Globalization;
using Thalamus.Storage;
using Thalamus.Storage.CrashHarness;

// A load that is meant to be killed: it commits blocks in a loop and prints a line for each one
// only after its commit returned. The crash test kills it with SIGKILL and checks that every
// printed block (or receipt) is in the reopened database, intact.
//
//   synthetic   DB TXS_PER_BLOCK MAX_BLOCKS          -> "begin N" before, "committed N" after each commit
//   slots       DB CHAINS TXS_PER_BLOCK MAX_SLOTS    -> "begin N", "slot N" (every chain's block N in one transaction)
//   memberchain DB BATCH MAX_TXS                     -> "receipt HASH BLOCK NONCE" (signed transfers through MemberChain)
//   commitbench DB TXS_PER_BLOCK BLOCKS [full]       -> commit timings (not a crash load); "full" = fsync per commit
// A negative maximum runs until killed.

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: synthetic DB TXS MAX | slots DB CHAINS TXS MAX | memberchain DB BATCH MAX");
    return 2;
}

static long Number(string s) => long.Parse(s, CultureInfo.InvariantCulture);

var output = Console.Out;
// An optional trailing "full" selects fsync-per-commit durability (commitbench comparisons).
var durability = args[^1] == "full" ? DurabilityMode.PowerLossSafe : DurabilityMode.ProcessCrashSafe;
using var database = ClusterDatabase.Open(args[1], new ClusterDatabaseOptions { Durability = durability });
switch (args[0])
{
    case "synthetic":
    {
        var chain = new SyntheticChain(database.GetChainStore(1), 1, (int)Number(args[2]));
        output.WriteLine($"resumed head {chain.Head.Number}");
        var max = Number(args[3]);
        for (long i = 0; max < 0 || i < max; i++)
        {
            var (block, receipts, nodes) = chain.BuildNext();
            // "begin" lets the test aim its kill at the commit itself.
            output.WriteLine($"begin {block.Number}");
            database.GetChainStore(1).CommitBlock(block, receipts, nodes);
            chain.Advance(block);
            output.WriteLine($"committed {block.Number}");
        }
        break;
    }
    case "slots":
    {
        var chainCount = (int)Number(args[2]);
        var chains = Enumerable.Range(1, chainCount)
            .Select(id => new SyntheticChain(database.GetChainStore((ulong)id), (ulong)id, (int)Number(args[3])))
            .ToArray();
        output.WriteLine($"resumed head {chains[0].Head.Number}");
        var max = Number(args[4]);
        for (long i = 0; max < 0 || i < max; i++)
        {
            using (var slot = database.BeginSlot())
            {
                foreach (var chain in chains) chain.CommitNext();
                output.WriteLine($"begin {chains[0].Head.Number}");
                slot.Commit();
            }
            output.WriteLine($"slot {chains[0].Head.Number}");
        }
        break;
    }
    case "commitbench":
        CommitBenchmark.Run(database, (int)Number(args[2]), (int)Number(args[3]), output);
        break;
    case "memberchain":
        MemberChainLoad.Run(database, (int)Number(args[2]), Number(args[3]), output);
        break;
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}
return 0;
