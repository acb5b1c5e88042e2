using System.Buffers.Binary;
using Thalamus.Core;
using Thalamus.Ddpn.Strategy;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;

namespace Thalamus.Ddpn;

/// <summary>
/// The management unit of one chain (docs/ddpn.md, "Management units"), native at <see cref="DdpnAddresses.Management"/>:
/// the order book (offers and the best valid strategy of each), the balances held for jobs (credits of a
/// stand-in token) and the chain profiles. Users' calls only queue an operation in this chain's outbox;
/// the node (the ddpn module) puts every chain's operations in one global order and applies them on every
/// chain with system transactions (<c>applyOps</c>, only from <c>thalamus.ddpn</c>), so the state is the
/// same everywhere once the same prefix is applied. Applying never reverts: a bad operation is recorded
/// as rejected with its reason (an event).
/// </summary>
public sealed class ManagementUnit(ulong chainId) : NativeContract(DdpnAddresses.Management)
{
    public const byte KindFund = 1, KindOffer = 2, KindStrategy = 3, KindClose = 4, KindProfile = 5;

    /// <summary>The most credits one <c>fund</c> may add (the stand-in token's faucet).</summary>
    public const ulong MaxFund = 1_000_000_000_000;

    private const byte OutboxTag = 20, CounterTag = 21, OfferTag = 22, SegmentsTag = 23, AllowedTag = 24, BalanceTag = 25, HeldTag = 26, ProfileTag = 27;

    // Offer fields.
    private const ulong OStatus = 0, OClient = 1, OMaxCost = 2, OAlpha = 3, OSegments = 4, OAllowed = 5, OBest = 6, OBestBlocks = 7, OBestCost = 8, OStrategies = 9, OProgram = 10;

    // Counters (slots of CounterTag/zero).
    private const ulong COutbox = 0, CApplied = 1, CDigest = 2;

    public static readonly AbiSelector Fund = Abi.Selector("fund(uint256)");
    public static readonly AbiSelector PostOffer = Abi.Selector("postOffer(bytes32,uint256[],uint256[],uint256,uint256)");
    public static readonly AbiSelector ProposeStrategy = Abi.Selector("proposeStrategy(bytes32,uint256[])");
    public static readonly AbiSelector CloseOffer = Abi.Selector("closeOffer(bytes32)");
    public static readonly AbiSelector ApplyOps = Abi.Selector("applyOps(uint256,bytes[])");
    public static readonly AbiSelector OutboxLength = Abi.Selector("outboxLength()");
    public static readonly AbiSelector GetOutbox = Abi.Selector("getOutbox(uint256)");
    public static readonly AbiSelector Digest = Abi.Selector("digest()");
    public static readonly AbiSelector GetOffer = Abi.Selector("getOffer(bytes32)");
    public static readonly AbiSelector BalanceOf = Abi.Selector("balanceOf(address)");
    public static readonly AbiSelector GetProfile = Abi.Selector("getProfile(uint256)");

    public static readonly Hash256 OperationQueued = Abi.EventTopic("OperationQueued(uint256,uint256,address)");
    public static readonly Hash256 OfferPosted = Abi.EventTopic("OfferPosted(bytes32,address,uint256)");
    public static readonly Hash256 OperationRejected = Abi.EventTopic("OperationRejected(bytes32,uint256,string)");
    public static readonly Hash256 StrategyAccepted = Abi.EventTopic("StrategyAccepted(bytes32,address,uint256,uint256,bool)");
    public static readonly Hash256 OfferClosed = Abi.EventTopic("OfferClosed(bytes32,address,uint256,uint256)");

    public override bool IsPrecompile => false;

    public override bool WarmAtTransactionStart => false;

    /// <summary>The slot holding how many global operations this chain has applied.</summary>
    internal static UInt256 AppliedSlot => UnitStorage.At(UnitStorage.Slot(CounterTag, Hash256.Zero), CApplied);

    internal static UInt256 OutboxLengthSlot => UnitStorage.At(UnitStorage.Slot(CounterTag, Hash256.Zero), COutbox);

    internal static UInt256 OutboxSlot(ulong seq) => UnitStorage.Slot(OutboxTag, Word(seq));

    public static Hash256 OfferId(ulong originChain, ulong originSeq)
    {
        Span<byte> seed = stackalloc byte[8 + 16];
        "DDPN-off"u8.CopyTo(seed);
        BinaryPrimitives.WriteUInt64BigEndian(seed[8..], originChain);
        BinaryPrimitives.WriteUInt64BigEndian(seed[16..], originSeq);
        return new Hash256(System.Security.Cryptography.SHA256.HashData(seed));
    }

    private static Hash256 Word(ulong value) => Hash256.FromUInt256(new UInt256(value));

    public override PrecompileResult Run(in NativeCall call)
    {
        var meter = new Meter(call.Gas);
        var logs = new List<LogEntry>();
        try
        {
            meter.Charge(DdpnGas.Base);
            var storage = new UnitStorage(call.State, meter, DdpnAddresses.Management);
            var output = Dispatch(call, storage, logs);
            return new PrecompileResult(true, meter.Used, output) { Logs = logs };
        }
        catch (DdpnOutOfGasException)
        {
            return PrecompileResult.Failure(call.Gas);
        }
        catch (DdpnRevertException e)
        {
            return PrecompileResult.Reverted(Math.Min(meter.Used, call.Gas), Abi.EncodeError(e.Message));
        }
        catch (AbiException e)
        {
            return PrecompileResult.Reverted(Math.Min(meter.Used, call.Gas), Abi.EncodeError("DDPN: malformed call: " + e.Message));
        }
    }

    private byte[] Dispatch(in NativeCall call, UnitStorage storage, List<LogEntry> logs)
    {
        var input = call.Input;
        var counters = UnitStorage.Slot(CounterTag, Hash256.Zero);
        if (AbiReader.TryCall(input, OutboxLength, out var args)) return Abi.Encode(storage.GetUInt64(UnitStorage.At(counters, COutbox)));
        if (AbiReader.TryCall(input, GetOutbox, out args)) return Abi.Encode(AbiValue.Bytes(storage.ReadBlob(OutboxSlot(args.UInt64(0)))));
        if (AbiReader.TryCall(input, Digest, out _))
            return Abi.Encode(storage.GetUInt64(UnitStorage.At(counters, CApplied)), storage.GetHash(UnitStorage.At(counters, CDigest)));
        if (AbiReader.TryCall(input, GetOffer, out args)) return OfferView(storage, args.Bytes32(0));
        if (AbiReader.TryCall(input, BalanceOf, out args))
        {
            var who = Hash256.FromUInt256(args.Address(0).ToUInt256());
            return Abi.Encode(storage.Get(UnitStorage.Slot(BalanceTag, who)), storage.Get(UnitStorage.Slot(HeldTag, who)));
        }
        if (AbiReader.TryCall(input, GetProfile, out args))
        {
            var p = UnitStorage.Slot(ProfileTag, Word(args.UInt64(0)));
            return Abi.Encode(storage.Get(p), storage.Get(UnitStorage.At(p, 1)), storage.Get(UnitStorage.At(p, 2)), storage.Get(UnitStorage.At(p, 3)));
        }

        if (call.IsStatic) throw new DdpnRevertException("a state-changing call in a static context");
        if (AbiReader.TryCall(input, ApplyOps, out args))
        {
            if (call.Caller != DdpnModule.Account.Address) throw new DdpnRevertException("applyOps is only for the node's system account thalamus.ddpn");
            return Apply(storage, logs, args);
        }
        byte kind;
        if (Fund.Matches(input)) kind = KindFund;
        else if (PostOffer.Matches(input)) kind = KindOffer;
        else if (ProposeStrategy.Matches(input)) kind = KindStrategy;
        else if (CloseOffer.Matches(input)) kind = KindClose;
        else throw new DdpnRevertException(input.Length < 4 ? "no function selector" : $"unknown function selector 0x{Convert.ToHexStringLower(input.AsSpan(0, 4))}");
        // Queue the operation; it takes effect when the node applies it, in the global order, on every chain.
        var payload = input.AsSpan(4);
        if (payload.Length > 16 * 1024) throw new DdpnRevertException($"an operation of {payload.Length} bytes; at most 16 KiB");
        var seq = storage.GetUInt64(UnitStorage.At(counters, COutbox));
        var op = Abi.Encode(chainId, seq, (ulong)kind, call.Caller, AbiValue.Bytes(payload.ToArray()));
        storage.WriteBlob(OutboxSlot(seq), op);
        storage.Set(UnitStorage.At(counters, COutbox), seq + 1);
        Log(storage, logs, OperationQueued, Word(seq), Abi.Encode((ulong)kind, call.Caller));
        return Abi.Encode(seq);
    }

    private byte[] Apply(UnitStorage storage, List<LogEntry> logs, AbiReader args)
    {
        var counters = UnitStorage.Slot(CounterTag, Hash256.Zero);
        var first = args.UInt64(0);
        var applied = storage.GetUInt64(UnitStorage.At(counters, CApplied));
        if (first != applied) throw new DdpnRevertException($"operations from {first} given; this chain has applied {applied}");
        var ops = args.Array(1, out var count);
        var digest = storage.GetHash(UnitStorage.At(counters, CDigest));
        Span<byte> pair = stackalloc byte[64];
        for (var i = 0; i < count; i++)
        {
            var op = ops.BytesSpan(i);
            digest.CopyTo(pair);
            storage.Sha256(op).CopyTo(pair[32..]);
            digest = storage.Sha256(pair);
            ApplyOne(storage, logs, new AbiReader(op));
        }
        storage.Set(UnitStorage.At(counters, CApplied), applied + (ulong)count);
        storage.Set(UnitStorage.At(counters, CDigest), digest);
        return Abi.Encode(applied + (ulong)count, digest);
    }

    private static void ApplyOne(UnitStorage storage, List<LogEntry> logs, AbiReader op)
    {
        var originChain = op.UInt64(0);
        var originSeq = op.UInt64(1);
        var kind = (byte)op.UInt64(2);
        var sender = op.Address(3);
        var payload = new AbiReader(op.BytesSpan(4));
        var id = OfferId(originChain, originSeq);
        try
        {
            switch (kind)
            {
                case KindFund: ApplyFund(storage, sender, payload); break;
                case KindOffer: ApplyOffer(storage, logs, id, sender, payload); break;
                case KindStrategy: ApplyStrategy(storage, logs, sender, payload); break;
                case KindClose: ApplyClose(storage, logs, sender, payload); break;
                case KindProfile:
                    if (sender != DdpnModule.Account.Address) throw new DdpnRevertException("chain profiles come only from the node");
                    var p = UnitStorage.Slot(ProfileTag, Word(payload.UInt64(0)));
                    storage.Set(p, payload.UInt64(1));
                    storage.Set(UnitStorage.At(p, 1), payload.UInt64(2));
                    storage.Set(UnitStorage.At(p, 2), payload.UInt64(3));
                    storage.Set(UnitStorage.At(p, 3), storage.GetUInt64(UnitStorage.At(p, 3)) + 1);
                    break;
                default: throw new DdpnRevertException($"unknown operation kind {kind}");
            }
        }
        catch (Exception e) when (e is DdpnRevertException or AbiException)
        {
            var reason = e is DdpnRevertException ? e.Message : "DDPN: malformed operation: " + e.Message;
            Log(storage, logs, OperationRejected, id, Abi.Encode((ulong)kind, AbiValue.String(reason)));
        }
    }

    private static Hash256 Key(Address who) => Hash256.FromUInt256(who.ToUInt256());

    private static void ApplyFund(UnitStorage storage, Address sender, AbiReader payload)
    {
        var amount = payload.Word(0);
        if (amount.IsZero || !amount.IsUInt64 || (ulong)amount > MaxFund) throw new DdpnRevertException($"fund 1 to {MaxFund} credits at a time, not {amount}");
        var slot = UnitStorage.Slot(BalanceTag, Key(sender));
        storage.Set(slot, storage.Get(slot) + amount);
    }

    private static void ApplyOffer(UnitStorage storage, List<LogEntry> logs, Hash256 id, Address client, AbiReader payload)
    {
        var program = payload.Bytes32(0);
        var segments = payload.Array(1, out var segmentCount);
        var allowed = payload.Array(2, out var allowedCount);
        var maxCost = payload.UInt64(3);
        var alpha = payload.UInt64(4);
        if (segmentCount is < 1 or > 256) throw new DdpnRevertException($"an offer has 1 to 256 segments, not {segmentCount}");
        if (allowedCount is < 1 or > 256) throw new DdpnRevertException($"an offer allows 1 to 256 chains, not {allowedCount}");
        if (alpha > 1_000_000) throw new DdpnRevertException($"alpha is in millionths, at most 1000000, not {alpha}");
        if (maxCost == 0) throw new DdpnRevertException("the cost range's maximum is 0");
        var balanceSlot = UnitStorage.Slot(BalanceTag, Key(client));
        var balance = storage.GetUInt64(balanceSlot);
        if (balance < maxCost) throw new DdpnRevertException($"the client holds {balance} credits, less than the offer's maximum cost {maxCost}");
        var o = UnitStorage.Slot(OfferTag, id);
        storage.Set(balanceSlot, balance - maxCost);
        var heldSlot = UnitStorage.Slot(HeldTag, Key(client));
        storage.Set(heldSlot, storage.GetUInt64(heldSlot) + maxCost);
        storage.Set(UnitStorage.At(o, OStatus), 1UL);
        storage.Set(UnitStorage.At(o, OClient), client.ToUInt256());
        storage.Set(UnitStorage.At(o, OMaxCost), maxCost);
        storage.Set(UnitStorage.At(o, OAlpha), alpha);
        storage.Set(UnitStorage.At(o, OSegments), (ulong)segmentCount);
        storage.Set(UnitStorage.At(o, OAllowed), (ulong)allowedCount);
        storage.Set(UnitStorage.At(o, OProgram), program);
        var segmentSlot = UnitStorage.Slot(SegmentsTag, id);
        for (var i = 0; i < segmentCount; i++) storage.Set(UnitStorage.At(segmentSlot, (ulong)i), segments.UInt64(i));
        var allowedSlot = UnitStorage.Slot(AllowedTag, id);
        for (var i = 0; i < allowedCount; i++) storage.Set(UnitStorage.At(allowedSlot, (ulong)i), allowed.UInt64(i));
        Log(storage, logs, OfferPosted, id, Abi.Encode(client, maxCost));
    }

    private static (StrategyOffer Offer, UInt256 Record) LoadOffer(UnitStorage storage, Hash256 id)
    {
        var o = UnitStorage.Slot(OfferTag, id);
        if (storage.GetUInt64(UnitStorage.At(o, OStatus)) != 1) throw new DdpnRevertException($"offer {id} is not open");
        var segments = new long[storage.GetUInt64(UnitStorage.At(o, OSegments))];
        var segmentSlot = UnitStorage.Slot(SegmentsTag, id);
        for (var i = 0; i < segments.Length; i++) segments[i] = (long)storage.GetUInt64(UnitStorage.At(segmentSlot, (ulong)i));
        var allowed = new HashSet<ulong>();
        var allowedSlot = UnitStorage.Slot(AllowedTag, id);
        var allowedCount = storage.GetUInt64(UnitStorage.At(o, OAllowed));
        for (ulong i = 0; i < allowedCount; i++) allowed.Add(storage.GetUInt64(UnitStorage.At(allowedSlot, i)));
        return (new StrategyOffer(segments, allowed, 0, 0, storage.GetUInt64(UnitStorage.At(o, OMaxCost)),
            storage.GetUInt64(UnitStorage.At(o, OAlpha)) / 1e6), o);
    }

    private static void ApplyStrategy(UnitStorage storage, List<LogEntry> logs, Address strategist, AbiReader payload)
    {
        var id = payload.Bytes32(0);
        var chainList = payload.Array(1, out var count);
        var (offer, o) = LoadOffer(storage, id);
        if (count > 256) throw new DdpnRevertException($"a strategy of {count} placements");
        var placement = new ulong[count];
        var chains = new Dictionary<ulong, StrategyChain>();
        for (var i = 0; i < count; i++)
        {
            placement[i] = chainList.UInt64(i);
            var p = UnitStorage.Slot(ProfileTag, Word(placement[i]));
            var speed = storage.GetUInt64(p);
            if (speed > 0) chains[placement[i]] = new StrategyChain(placement[i], speed, Math.Max(1, storage.GetUInt64(UnitStorage.At(p, 1))));
        }
        var strategy = new ExecutionStrategy(placement);
        if (StrategyRules.Validate(offer, strategy, chains) is { } reason) throw new DdpnRevertException($"strategy for offer {id} rejected: {reason}");
        var score = StrategyRules.Evaluate(offer, strategy, chains);
        var hasBest = storage.GetUInt64(UnitStorage.At(o, OStrategies)) > 0 && !storage.Get(UnitStorage.At(o, OBest)).IsZero;
        var best = (Blocks: (double)storage.GetUInt64(UnitStorage.At(o, OBestBlocks)), Cost: (double)storage.GetUInt64(UnitStorage.At(o, OBestCost)));
        var wins = !hasBest || StrategyRules.Ranks(offer.Alpha, score, best);
        if (wins)
        {
            storage.Set(UnitStorage.At(o, OBest), strategist.ToUInt256());
            storage.Set(UnitStorage.At(o, OBestBlocks), (ulong)score.Blocks);
            storage.Set(UnitStorage.At(o, OBestCost), (ulong)Math.Ceiling(score.Cost));
        }
        storage.Set(UnitStorage.At(o, OStrategies), storage.GetUInt64(UnitStorage.At(o, OStrategies)) + 1);
        Log(storage, logs, StrategyAccepted, id, Abi.Encode(strategist, (ulong)score.Blocks, (ulong)Math.Ceiling(score.Cost), wins));
    }

    private static void ApplyClose(UnitStorage storage, List<LogEntry> logs, Address sender, AbiReader payload)
    {
        var id = payload.Bytes32(0);
        var (offer, o) = LoadOffer(storage, id);
        var client = Address.FromUInt256(storage.Get(UnitStorage.At(o, OClient)));
        if (sender != client) throw new DdpnRevertException($"only the client {client} closes offer {id}");
        var winnerWord = storage.Get(UnitStorage.At(o, OBest));
        var paid = winnerWord.IsZero ? 0UL : storage.GetUInt64(UnitStorage.At(o, OBestCost));
        var maxCost = (ulong)offer.MaxCost;
        var heldSlot = UnitStorage.Slot(HeldTag, Key(client));
        storage.Set(heldSlot, storage.GetUInt64(heldSlot) - maxCost);
        var clientSlot = UnitStorage.Slot(BalanceTag, Key(client));
        storage.Set(clientSlot, storage.GetUInt64(clientSlot) + (maxCost - paid));
        if (paid > 0)
        {
            var winnerSlot = UnitStorage.Slot(BalanceTag, Key(Address.FromUInt256(winnerWord)));
            storage.Set(winnerSlot, storage.GetUInt64(winnerSlot) + paid);
        }
        storage.Set(UnitStorage.At(o, OStatus), 2UL);
        Log(storage, logs, OfferClosed, id, Abi.Encode(Address.FromUInt256(winnerWord), paid, maxCost - paid));
    }

    private static byte[] OfferView(UnitStorage storage, Hash256 id)
    {
        var o = UnitStorage.Slot(OfferTag, id);
        return Abi.Encode(storage.GetUInt64(UnitStorage.At(o, OStatus)), Address.FromUInt256(storage.Get(UnitStorage.At(o, OClient))),
            storage.GetUInt64(UnitStorage.At(o, OMaxCost)), storage.GetUInt64(UnitStorage.At(o, OAlpha)),
            Address.FromUInt256(storage.Get(UnitStorage.At(o, OBest))), storage.GetUInt64(UnitStorage.At(o, OBestBlocks)),
            storage.GetUInt64(UnitStorage.At(o, OBestCost)), storage.GetUInt64(UnitStorage.At(o, OStrategies)));
    }

    private static void Log(UnitStorage storage, List<LogEntry> logs, Hash256 topic, Hash256 id, byte[] data)
    {
        storage.Meter.Charge(DdpnGas.Log + 2 * DdpnGas.LogTopic + DdpnGas.LogByte * data.Length);
        logs.Add(new LogEntry(DdpnAddresses.Management, [topic, id], data));
    }
}
