using System.Buffers.Binary;
using Thalamus.Core;
using Thalamus.Ddpn.Strategy;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;

namespace Thalamus.Ddpn;

/// <summary>
/// The management unit of one chain (docs/ddpn.md, "Management units"), native at <see cref="DdpnAddresses.Management"/>:
/// the order book (offers and the best valid strategy of each), the payments held for offers and stakes (in
/// the payment token, held by <see cref="DdpnAddresses.Escrow"/> on the chain where they were paid), the Pythia
/// validators (stake, reliability, the draw and the verdict votes) and the chain profiles. Users' calls only queue
/// an operation in this chain's outbox (after the checks that can be made here, which revert with the reason);
/// the node (the ddpn module) puts every chain's operations in one global order and applies them on every chain
/// with system transactions (<c>applyOps</c>, only from <c>thalamus.ddpn</c>), so the state is the same everywhere
/// once the same prefix is applied. Applying never reverts: a bad operation is recorded as rejected with its reason
/// (an event) and what it escrowed is paid back. Payouts are a replicated list; the node pays each on the chain
/// that holds its tokens through the escrow's cursor.
/// </summary>
public sealed class ManagementUnit(ulong chainId, DdpnOptions? options = null) : NativeContract(DdpnAddresses.Management)
{
    private readonly DdpnOptions _options = options ?? new DdpnOptions();

    public const byte KindOffer = 2, KindStrategy = 3, KindClose = 4, KindProfile = 5, KindStake = 6, KindVote = 7, KindTimeout = 8;

    /// <summary>How many Pythia validators are drawn for a strategy (fewer when fewer are registered).</summary>
    public const int PythiaDrawSize = 3;

    /// <summary>A new Pythia's reliability and the step of a verdict, in millionths (0.5 and 0.05, as <see cref="PythiaDraw"/>).</summary>
    public const ulong InitialReliability = 500_000, Million = 1_000_000;

    public const ulong StatusOpen = 1, StatusClosed = 2, StatusVerifying = 3;

    private const byte OutboxTag = 20, CounterTag = 21, OfferTag = 22, SegmentsTag = 23, AllowedTag = 24, PaidTag = 25, HeldTag = 26, ProfileTag = 27,
        PythiaTag = 28, PythiaListTag = 29, PayoutTag = 30, DrawnTag = 31, VoteTag = 32, PlacementTag = 33, EarningsTag = 34;

    // Offer fields.
    private const ulong OStatus = 0, OClient = 1, OMaxCost = 2, OAlpha = 3, OSegments = 4, OAllowed = 5, OBest = 6, OBestBlocks = 7, OBestCost = 8, OStrategies = 9,
        OProgram = 10, OOrigin = 11, OVotes = 12;

    // Pythia fields.
    private const ulong PStake = 0, PReliability = 1, PIndex = 2;

    // Counters (slots of CounterTag/zero).
    private const ulong COutbox = 0, CApplied = 1, CDigest = 2, CPythias = 3, CPayouts = 4;

    public static readonly AbiSelector PostOffer = Abi.Selector("postOffer(bytes32,uint256[],uint256[],uint256,uint256)");
    public static readonly AbiSelector Stake = Abi.Selector("stake(uint256)");
    public static readonly AbiSelector Escrowed = Abi.Selector("escrowed(address,bytes)");
    public static readonly AbiSelector ProposeStrategy = Abi.Selector("proposeStrategy(bytes32,uint256[])");
    public static readonly AbiSelector CloseOffer = Abi.Selector("closeOffer(bytes32)");
    public static readonly AbiSelector Vote = Abi.Selector("vote(bytes32,bool)");
    public static readonly AbiSelector ApplyOps = Abi.Selector("applyOps(uint256,bytes[])");
    public static readonly AbiSelector OutboxLength = Abi.Selector("outboxLength()");
    public static readonly AbiSelector GetOutbox = Abi.Selector("getOutbox(uint256)");
    public static readonly AbiSelector Digest = Abi.Selector("digest()");
    public static readonly AbiSelector GetOffer = Abi.Selector("getOffer(bytes32)");
    public static readonly AbiSelector BalanceOf = Abi.Selector("balanceOf(address)");
    public static readonly AbiSelector GetProfile = Abi.Selector("getProfile(uint256)");
    public static readonly AbiSelector StakeOf = Abi.Selector("stakeOf(address)");
    public static readonly AbiSelector ReliabilityOf = Abi.Selector("reliabilityOf(address)");
    public static readonly AbiSelector PythiaCount = Abi.Selector("pythiaCount()");
    public static readonly AbiSelector DrawnOf = Abi.Selector("drawnOf(bytes32)");
    public static readonly AbiSelector PayoutLength = Abi.Selector("payoutLength()");
    public static readonly AbiSelector GetPayout = Abi.Selector("getPayout(uint256)");
    public static readonly AbiSelector PlacementOf = Abi.Selector("placementOf(bytes32)");
    public static readonly AbiSelector EarningsOf = Abi.Selector("earningsOf(uint256)");

    public static readonly Hash256 OperationQueued = Abi.EventTopic("OperationQueued(uint256,uint256,address)");
    public static readonly Hash256 OfferPosted = Abi.EventTopic("OfferPosted(bytes32,address,uint256)");
    public static readonly Hash256 OperationRejected = Abi.EventTopic("OperationRejected(bytes32,uint256,string)");
    public static readonly Hash256 StrategyAccepted = Abi.EventTopic("StrategyAccepted(bytes32,address,uint256,uint256,bool)");
    public static readonly Hash256 OfferClosed = Abi.EventTopic("OfferClosed(bytes32,address,uint256,uint256)");
    public static readonly Hash256 PythiaStaked = Abi.EventTopic("PythiaStaked(bytes32,address,uint256,uint256)");
    public static readonly Hash256 PythiasDrawn = Abi.EventTopic("PythiasDrawn(bytes32,address[])");
    public static readonly Hash256 Voted = Abi.EventTopic("Voted(bytes32,address,bool)");
    public static readonly Hash256 VerdictReached = Abi.EventTopic("VerdictReached(bytes32,uint256,uint256,uint256)");
    public static readonly Hash256 PayoutQueued = Abi.EventTopic("PayoutQueued(bytes32,uint256,uint256,address,uint256)");
    public static readonly Hash256 ChainPaid = Abi.EventTopic("ChainPaid(bytes32,uint256,address,uint256,uint256)");
    public static readonly Hash256 VoteTimedOut = Abi.EventTopic("VoteTimedOut(bytes32,address[],uint256)");

    /// <summary>What a drawn Pythia's vote slot holds: valid, invalid, or silent until the timeout.</summary>
    private const ulong VotedValid = 1, VotedInvalid = 2, VotedNothing = 3;

    public override bool IsPrecompile => false;

    public override bool WarmAtTransactionStart => false;

    private static UInt256 Counters => UnitStorage.Slot(CounterTag, Hash256.Zero);

    /// <summary>The slot holding how many global operations this chain has applied.</summary>
    internal static UInt256 AppliedSlot => UnitStorage.At(Counters, CApplied);

    internal static UInt256 OutboxLengthSlot => UnitStorage.At(Counters, COutbox);

    internal static UInt256 PayoutLengthSlot => UnitStorage.At(Counters, CPayouts);

    internal static UInt256 OutboxSlot(ulong seq) => UnitStorage.Slot(OutboxTag, Word(seq));

    /// <summary>Payout <paramref name="index"/>: +0 the chain whose escrow holds the tokens, +1 the payee, +2 the amount.</summary>
    internal static UInt256 PayoutSlot(ulong index) => UnitStorage.Slot(PayoutTag, Word(index));

    public static Hash256 OfferId(ulong originChain, ulong originSeq)
    {
        Span<byte> seed = stackalloc byte[8 + 16];
        "DDPN-off"u8.CopyTo(seed);
        BinaryPrimitives.WriteUInt64BigEndian(seed[8..], originChain);
        BinaryPrimitives.WriteUInt64BigEndian(seed[16..], originSeq);
        return new Hash256(System.Security.Cryptography.SHA256.HashData(seed));
    }

    /// <summary>One operation as the outbox and applyOps carry it: origin chain, outbox seq, kind, sender, payload and the origin block's prevrandao.</summary>
    public static byte[] EncodeOperation(ulong originChain, ulong seq, byte kind, Address sender, byte[] payload, Hash256 randomness) =>
        Abi.Encode(originChain, seq, (ulong)kind, sender, AbiValue.Bytes(payload), randomness);

    private static Hash256 Word(ulong value) => Hash256.FromUInt256(new UInt256(value));

    private static Hash256 Key(Address who) => Hash256.FromUInt256(who.ToUInt256());

    internal static double ToDouble(in UInt256 value) => value.U0 + Math.ScaleB(value.U1, 64) + Math.ScaleB(value.U2, 128) + Math.ScaleB(value.U3, 192);

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
        var counters = Counters;
        if (AbiReader.TryCall(input, OutboxLength, out var args)) return Abi.Encode(storage.GetUInt64(UnitStorage.At(counters, COutbox)));
        if (AbiReader.TryCall(input, GetOutbox, out args)) return Abi.Encode(AbiValue.Bytes(storage.ReadBlob(OutboxSlot(args.UInt64(0)))));
        if (AbiReader.TryCall(input, Digest, out _))
            return Abi.Encode(storage.GetUInt64(UnitStorage.At(counters, CApplied)), storage.GetHash(UnitStorage.At(counters, CDigest)));
        if (AbiReader.TryCall(input, GetOffer, out args)) return OfferView(storage, args.Bytes32(0));
        if (AbiReader.TryCall(input, BalanceOf, out args))
        {
            var who = Key(args.Address(0));
            return Abi.Encode(storage.Get(UnitStorage.Slot(PaidTag, who)), storage.Get(UnitStorage.Slot(HeldTag, who)));
        }
        if (AbiReader.TryCall(input, GetProfile, out args))
        {
            var p = UnitStorage.Slot(ProfileTag, Word(args.UInt64(0)));
            return Abi.Encode(storage.Get(p), storage.Get(UnitStorage.At(p, 1)), storage.Get(UnitStorage.At(p, 2)), storage.Get(UnitStorage.At(p, 3)));
        }
        if (AbiReader.TryCall(input, StakeOf, out args)) return Abi.Encode(storage.Get(UnitStorage.At(UnitStorage.Slot(PythiaTag, Key(args.Address(0))), PStake)));
        if (AbiReader.TryCall(input, ReliabilityOf, out args))
            return Abi.Encode(storage.Get(UnitStorage.At(UnitStorage.Slot(PythiaTag, Key(args.Address(0))), PReliability)));
        if (AbiReader.TryCall(input, PythiaCount, out _)) return Abi.Encode(storage.Get(UnitStorage.At(counters, CPythias)));
        if (AbiReader.TryCall(input, DrawnOf, out args)) return Abi.Encode(AbiValue.Array([.. Drawn(storage, args.Bytes32(0)).Select(a => (AbiValue)a)]));
        if (AbiReader.TryCall(input, PayoutLength, out _)) return Abi.Encode(storage.Get(PayoutLengthSlot));
        if (AbiReader.TryCall(input, GetPayout, out args))
        {
            var p = PayoutSlot(args.UInt64(0));
            return Abi.Encode(storage.Get(p), Address.FromUInt256(storage.Get(UnitStorage.At(p, 1))), storage.Get(UnitStorage.At(p, 2)));
        }
        if (AbiReader.TryCall(input, PlacementOf, out args)) return Abi.Encode(AbiValue.Array([.. Placement(storage, args.Bytes32(0)).Select(c => (AbiValue)c)]));
        if (AbiReader.TryCall(input, EarningsOf, out args)) return Abi.Encode(storage.Get(UnitStorage.Slot(EarningsTag, Word(args.UInt64(0)))));

        if (call.IsStatic) throw new DdpnRevertException("a state-changing call in a static context");
        if (AbiReader.TryCall(input, ApplyOps, out args))
        {
            if (call.Caller != DdpnModule.Account.Address) throw new DdpnRevertException("applyOps is only for the node's system account thalamus.ddpn");
            return Apply(storage, logs, args);
        }
        var sender = call.Caller;
        ReadOnlySpan<byte> operation = input;
        if (AbiReader.TryCall(input, Escrowed, out args))
        {
            // The escrow has collected the amount from the client in this transaction.
            if (call.Caller != DdpnAddresses.Escrow) throw new DdpnRevertException($"escrowed is only for the escrow {DdpnAddresses.Escrow}");
            sender = args.Address(0);
            operation = args.BytesSpan(1);
            if (!PostOffer.Matches(operation) && !Stake.Matches(operation)) throw new DdpnRevertException("the escrow forwards only postOffer and stake");
        }
        else if (PostOffer.Matches(input) || Stake.Matches(input))
            throw new DdpnRevertException($"{(PostOffer.Matches(input) ? "postOffer" : "stake")} goes through the escrow {DdpnAddresses.Escrow}, which collects the amount in the payment token");

        byte kind;
        var payload = operation.Length >= 4 ? operation[4..] : [];
        if (payload.Length > 16 * 1024) throw new DdpnRevertException($"an operation of {payload.Length} bytes; at most 16 KiB");
        // What can be checked here is checked here (a clear revert; the amount never leaves the caller); applying checks again in the global order.
        if (PostOffer.Matches(operation)) { kind = KindOffer; CheckOfferShape(new AbiReader(payload)); }
        else if (Stake.Matches(operation)) { kind = KindStake; CheckStake(new AbiReader(payload)); }
        else if (ProposeStrategy.Matches(operation)) { kind = KindStrategy; CheckStrategy(storage, new AbiReader(payload)); }
        else if (CloseOffer.Matches(operation)) { kind = KindClose; CheckClose(storage, sender, new AbiReader(payload)); }
        else if (Vote.Matches(operation)) { kind = KindVote; CheckVote(storage, sender, new AbiReader(payload)); }
        else throw new DdpnRevertException(input.Length < 4 ? "no function selector" : $"unknown function selector 0x{Convert.ToHexStringLower(input.AsSpan(0, 4))}");
        // Queue the operation; it takes effect when the node applies it, in the global order, on every chain.
        var seq = storage.GetUInt64(UnitStorage.At(counters, COutbox));
        var op = EncodeOperation(chainId, seq, kind, sender, payload.ToArray(), call.Block.PrevRandao);
        storage.WriteBlob(OutboxSlot(seq), op);
        storage.Set(UnitStorage.At(counters, COutbox), seq + 1);
        Log(storage, logs, OperationQueued, Word(seq), Abi.Encode((ulong)kind, sender));
        return Abi.Encode(seq);
    }

    private byte[] Apply(UnitStorage storage, List<LogEntry> logs, AbiReader args)
    {
        var counters = Counters;
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

    private void ApplyOne(UnitStorage storage, List<LogEntry> logs, AbiReader op)
    {
        var originChain = op.UInt64(0);
        var originSeq = op.UInt64(1);
        var kind = (byte)op.UInt64(2);
        var sender = op.Address(3);
        var payload = new AbiReader(op.BytesSpan(4));
        var randomness = op.Bytes32(5);
        var id = OfferId(originChain, originSeq);
        try
        {
            switch (kind)
            {
                case KindOffer: ApplyOffer(storage, logs, id, originChain, sender, payload); break;
                case KindStake: ApplyStake(storage, logs, id, sender, payload); break;
                case KindStrategy: ApplyStrategy(storage, logs, sender, payload); break;
                case KindClose: ApplyClose(storage, logs, sender, payload, randomness); break;
                case KindVote: ApplyVote(storage, logs, sender, payload); break;
                case KindTimeout:
                    if (sender != DdpnModule.Account.Address) throw new DdpnRevertException("vote timeouts come only from the node");
                    ApplyTimeout(storage, logs, payload.Bytes32(0));
                    break;
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
            // What the operation escrowed goes back to its sender on the chain that holds it.
            if (kind is KindOffer or KindStake && TryEscrowedAmount(kind, op.BytesSpan(4)) is { IsZero: false } amount)
                QueuePayout(storage, logs, id, originChain, sender, amount);
        }
    }

    private static UInt256? TryEscrowedAmount(byte kind, ReadOnlySpan<byte> payload)
    {
        try
        {
            return new AbiReader(payload).Word(kind == KindOffer ? 3 : 0);
        }
        catch (AbiException)
        {
            return null;
        }
    }

    private static void QueuePayout(UnitStorage storage, List<LogEntry> logs, Hash256 id, ulong chain, Address to, UInt256 amount)
    {
        var index = storage.GetUInt64(PayoutLengthSlot);
        var p = PayoutSlot(index);
        storage.Set(p, chain);
        storage.Set(UnitStorage.At(p, 1), to.ToUInt256());
        storage.Set(UnitStorage.At(p, 2), amount);
        storage.Set(PayoutLengthSlot, index + 1);
        var paid = UnitStorage.Slot(PaidTag, Key(to));
        storage.Set(paid, storage.Get(paid) + amount);
        Log(storage, logs, PayoutQueued, id, Abi.Encode(index, chain, to, amount));
    }

    private static (long[] Segments, ulong[] Allowed, UInt256 MaxCost, ulong Alpha) CheckOfferShape(AbiReader payload)
    {
        var segments = payload.Array(1, out var segmentCount);
        var allowed = payload.Array(2, out var allowedCount);
        var maxCost = payload.Word(3);
        var alpha = payload.UInt64(4);
        if (segmentCount is < 1 or > 256) throw new DdpnRevertException($"an offer has 1 to 256 segments, not {segmentCount}");
        if (allowedCount is < 1 or > 256) throw new DdpnRevertException($"an offer allows 1 to 256 chains, not {allowedCount}");
        if (alpha > Million) throw new DdpnRevertException($"alpha is in millionths, at most 1000000, not {alpha}");
        if (maxCost.IsZero) throw new DdpnRevertException("the cost range's maximum is 0");
        var gas = new long[segmentCount];
        for (var i = 0; i < segmentCount; i++)
        {
            var g = segments.Word(i);
            if (g.IsZero || !g.IsUInt64 || (ulong)g > long.MaxValue) throw new DdpnRevertException($"segment {i + 1} needs {g} DLX gas; 1 to {long.MaxValue}");
            gas[i] = (long)(ulong)g;
        }
        var chains = new ulong[allowedCount];
        for (var i = 0; i < allowedCount; i++) chains[i] = allowed.UInt64(i);
        return (gas, chains, maxCost, alpha);
    }

    private static void ApplyOffer(UnitStorage storage, List<LogEntry> logs, Hash256 id, ulong originChain, Address client, AbiReader payload)
    {
        var (segments, allowed, maxCost, alpha) = CheckOfferShape(payload);
        var o = UnitStorage.Slot(OfferTag, id);
        var heldSlot = UnitStorage.Slot(HeldTag, Key(client));
        storage.Set(heldSlot, storage.Get(heldSlot) + maxCost);
        storage.Set(UnitStorage.At(o, OStatus), StatusOpen);
        storage.Set(UnitStorage.At(o, OClient), client.ToUInt256());
        storage.Set(UnitStorage.At(o, OMaxCost), maxCost);
        storage.Set(UnitStorage.At(o, OAlpha), alpha);
        storage.Set(UnitStorage.At(o, OSegments), (ulong)segments.Length);
        storage.Set(UnitStorage.At(o, OAllowed), (ulong)allowed.Length);
        storage.Set(UnitStorage.At(o, OProgram), payload.Bytes32(0));
        storage.Set(UnitStorage.At(o, OOrigin), originChain);
        var segmentSlot = UnitStorage.Slot(SegmentsTag, id);
        for (var i = 0; i < segments.Length; i++) storage.Set(UnitStorage.At(segmentSlot, (ulong)i), (ulong)segments[i]);
        var allowedSlot = UnitStorage.Slot(AllowedTag, id);
        for (var i = 0; i < allowed.Length; i++) storage.Set(UnitStorage.At(allowedSlot, (ulong)i), allowed[i]);
        Log(storage, logs, OfferPosted, id, Abi.Encode(client, maxCost));
    }

    private static UInt256 CheckStake(AbiReader payload)
    {
        var amount = payload.Word(0);
        if (amount.IsZero) throw new DdpnRevertException("a stake of 0");
        return amount;
    }

    private static void ApplyStake(UnitStorage storage, List<LogEntry> logs, Hash256 id, Address pythia, AbiReader payload)
    {
        var amount = CheckStake(payload);
        var p = UnitStorage.Slot(PythiaTag, Key(pythia));
        if (storage.Get(UnitStorage.At(p, PIndex)).IsZero)
        {
            var count = storage.GetUInt64(UnitStorage.At(Counters, CPythias));
            storage.Set(UnitStorage.At(UnitStorage.Slot(PythiaListTag, Hash256.Zero), count), pythia.ToUInt256());
            storage.Set(UnitStorage.At(p, PIndex), count + 1);
            storage.Set(UnitStorage.At(p, PReliability), InitialReliability);
            storage.Set(UnitStorage.At(Counters, CPythias), count + 1);
        }
        var total = storage.Get(UnitStorage.At(p, PStake)) + amount;
        storage.Set(UnitStorage.At(p, PStake), total);
        Log(storage, logs, PythiaStaked, id, Abi.Encode(pythia, amount, total));
    }

    private static (StrategyOffer Offer, UInt256 Record) LoadOffer(UnitStorage storage, Hash256 id, ulong status = StatusOpen)
    {
        var o = UnitStorage.Slot(OfferTag, id);
        var now = storage.GetUInt64(UnitStorage.At(o, OStatus));
        if (now != status)
            throw new DdpnRevertException(now switch
            {
                0 => $"offer {id} is unknown",
                StatusOpen => $"offer {id} is open, not under verification",
                StatusVerifying => $"offer {id} is under verification by its Pythias",
                _ => $"offer {id} is closed",
            });
        var segments = new long[storage.GetUInt64(UnitStorage.At(o, OSegments))];
        var segmentSlot = UnitStorage.Slot(SegmentsTag, id);
        for (var i = 0; i < segments.Length; i++) segments[i] = (long)storage.GetUInt64(UnitStorage.At(segmentSlot, (ulong)i));
        var allowed = new HashSet<ulong>();
        var allowedSlot = UnitStorage.Slot(AllowedTag, id);
        var allowedCount = storage.GetUInt64(UnitStorage.At(o, OAllowed));
        for (ulong i = 0; i < allowedCount; i++) allowed.Add(storage.GetUInt64(UnitStorage.At(allowedSlot, i)));
        return (new StrategyOffer(segments, allowed, 0, 0, ToDouble(storage.Get(UnitStorage.At(o, OMaxCost))),
            storage.GetUInt64(UnitStorage.At(o, OAlpha)) / 1e6), o);
    }

    /// <summary>The strategy checked against the offer and the stored chain profiles: its offer, record, placement and score; or why not.</summary>
    private static (UInt256 Record, (double Blocks, double Cost) Score, double Alpha, ulong[] Placement) CheckStrategy(UnitStorage storage, AbiReader payload)
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
        return (o, StrategyRules.Evaluate(offer, strategy, chains), offer.Alpha, placement);
    }

    private static void ApplyStrategy(UnitStorage storage, List<LogEntry> logs, Address strategist, AbiReader payload)
    {
        var id = payload.Bytes32(0);
        var (o, score, alpha, placement) = CheckStrategy(storage, payload);
        var hasBest = !storage.Get(UnitStorage.At(o, OBest)).IsZero;
        var best = (Blocks: (double)storage.GetUInt64(UnitStorage.At(o, OBestBlocks)), Cost: (double)storage.GetUInt64(UnitStorage.At(o, OBestCost)));
        var wins = !hasBest || StrategyRules.Ranks(alpha, score, best);
        if (wins)
        {
            storage.Set(UnitStorage.At(o, OBest), strategist.ToUInt256());
            storage.Set(UnitStorage.At(o, OBestBlocks), (ulong)score.Blocks);
            storage.Set(UnitStorage.At(o, OBestCost), (ulong)Math.Ceiling(score.Cost));
            // The winning placement: which chain runs each segment (who shares the payment at settlement).
            var placed = UnitStorage.Slot(PlacementTag, id);
            for (var i = 0; i < placement.Length; i++) storage.Set(UnitStorage.At(placed, (ulong)i), placement[i]);
        }
        storage.Set(UnitStorage.At(o, OStrategies), storage.GetUInt64(UnitStorage.At(o, OStrategies)) + 1);
        Log(storage, logs, StrategyAccepted, id, Abi.Encode(strategist, (ulong)score.Blocks, (ulong)Math.Ceiling(score.Cost), wins));
    }

    private static UInt256 CheckClose(UnitStorage storage, Address sender, AbiReader payload)
    {
        var id = payload.Bytes32(0);
        var (_, o) = LoadOffer(storage, id);
        var client = Address.FromUInt256(storage.Get(UnitStorage.At(o, OClient)));
        if (sender != client) throw new DdpnRevertException($"only the client {client} closes offer {id}");
        return o;
    }

    /// <summary>
    /// Closing: with no valid strategy the client gets everything back; with no Pythia registered the best strategy is paid on the node's
    /// validation alone; otherwise <see cref="PythiaDrawSize"/> validators are drawn (<see cref="PythiaDraw.Draw"/>: stake 40%, randomness 20%
    /// from the prevrandao of the block that queued the close, reliability 40%) and the offer waits for their votes.
    /// </summary>
    private void ApplyClose(UnitStorage storage, List<LogEntry> logs, Address sender, AbiReader payload, Hash256 randomness)
    {
        var id = payload.Bytes32(0);
        var o = CheckClose(storage, sender, payload);
        if (storage.Get(UnitStorage.At(o, OBest)).IsZero)
        {
            Settle(storage, logs, id, o, pay: false);
            return;
        }
        var pythias = LoadPythias(storage);
        if (pythias.Count == 0)
        {
            Settle(storage, logs, id, o, pay: true);
            return;
        }
        var drawn = PythiaDraw.Draw(pythias, Math.Min(PythiaDrawSize, pythias.Count), randomness.Bytes);
        var d = UnitStorage.Slot(DrawnTag, id);
        storage.Set(d, (ulong)drawn.Count);
        var addresses = new AbiValue[drawn.Count];
        for (var i = 0; i < drawn.Count; i++)
        {
            var who = Address.Parse(drawn[i].Name);
            storage.Set(UnitStorage.At(d, (ulong)i + 1), who.ToUInt256());
            addresses[i] = who;
        }
        storage.Set(UnitStorage.At(o, OStatus), StatusVerifying);
        Log(storage, logs, PythiasDrawn, id, Abi.Encode(AbiValue.Array(addresses)));
    }

    private static List<Pythia> LoadPythias(UnitStorage storage)
    {
        var count = storage.GetUInt64(UnitStorage.At(Counters, CPythias));
        var list = UnitStorage.Slot(PythiaListTag, Hash256.Zero);
        var pythias = new List<Pythia>((int)count);
        for (ulong i = 0; i < count; i++) pythias.Add(LoadPythia(storage, Address.FromUInt256(storage.Get(UnitStorage.At(list, i)))));
        return pythias;
    }

    private static Pythia LoadPythia(UnitStorage storage, Address who)
    {
        var p = UnitStorage.Slot(PythiaTag, Key(who));
        return new Pythia(who.ToString(), ToDouble(storage.Get(UnitStorage.At(p, PStake))), storage.GetUInt64(UnitStorage.At(p, PReliability)) / (double)Million);
    }

    private static List<Address> Drawn(UnitStorage storage, Hash256 offer)
    {
        var d = UnitStorage.Slot(DrawnTag, offer);
        var count = storage.GetUInt64(d);
        var drawn = new List<Address>((int)count);
        for (ulong i = 1; i <= count; i++) drawn.Add(Address.FromUInt256(storage.Get(UnitStorage.At(d, i))));
        return drawn;
    }

    private static UInt256 VoteSlot(Hash256 offer, Address voter)
    {
        Span<byte> key = stackalloc byte[32 + Address.Length];
        offer.Bytes.CopyTo(key);
        voter.Bytes.CopyTo(key[32..]);
        return UnitStorage.Slot(VoteTag, System.Security.Cryptography.SHA256.HashData(key));
    }

    private static UInt256 CheckVote(UnitStorage storage, Address voter, AbiReader payload)
    {
        var id = payload.Bytes32(0);
        _ = payload.Bool(1);
        var (_, o) = LoadOffer(storage, id, StatusVerifying);
        if (!Drawn(storage, id).Contains(voter)) throw new DdpnRevertException($"{voter} is not a Pythia drawn for offer {id}");
        if (!storage.Get(VoteSlot(id, voter)).IsZero) throw new DdpnRevertException($"{voter} has voted on offer {id}");
        return o;
    }

    /// <summary>A drawn Pythia's verdict on the offer's best strategy; the last vote settles: reliabilities move and the strategist is paid only on a valid verdict.</summary>
    private void ApplyVote(UnitStorage storage, List<LogEntry> logs, Address voter, AbiReader payload)
    {
        var id = payload.Bytes32(0);
        var valid = payload.Bool(1);
        var o = CheckVote(storage, voter, payload);
        storage.Set(VoteSlot(id, voter), valid ? VotedValid : VotedInvalid);
        var votes = storage.GetUInt64(UnitStorage.At(o, OVotes)) + 1;
        storage.Set(UnitStorage.At(o, OVotes), votes);
        Log(storage, logs, Voted, id, Abi.Encode(voter, valid));
        var drawn = Drawn(storage, id);
        if (votes < (ulong)drawn.Count) return;
        Conclude(storage, logs, id, o, drawn);
    }

    /// <summary>
    /// The node's timeout for an offer under verification (<see cref="DdpnOptions.VoteTimeoutSlots"/> after its close): every drawn Pythia that
    /// has not voted loses reliability as a disagreeing one would, and the verdict is taken from the votes cast when they are a quorum (more than
    /// half of those drawn); below the quorum there is no verdict and the client gets its escrow back. An offer no longer under verification
    /// (every vote came in time) is left as it is.
    /// </summary>
    private void ApplyTimeout(UnitStorage storage, List<LogEntry> logs, Hash256 id)
    {
        var o = UnitStorage.Slot(OfferTag, id);
        if (storage.GetUInt64(UnitStorage.At(o, OStatus)) != StatusVerifying) return;
        var drawn = Drawn(storage, id);
        var silent = new List<AbiValue>();
        foreach (var who in drawn)
        {
            if (!storage.Get(VoteSlot(id, who)).IsZero) continue;
            storage.Set(VoteSlot(id, who), VotedNothing);
            var pythia = LoadPythia(storage, who);
            var lowered = Math.Clamp(pythia.Reliability - PythiaDraw.ReliabilityStep, 0, 1);
            storage.Set(UnitStorage.At(UnitStorage.Slot(PythiaTag, Key(who)), PReliability), (ulong)Math.Round(lowered * Million));
            silent.Add(who);
        }
        Log(storage, logs, VoteTimedOut, id, Abi.Encode(AbiValue.Array([.. silent]), (ulong)(drawn.Count - silent.Count)));
        Conclude(storage, logs, id, o, drawn);
    }

    /// <summary>The verdict of the votes cast (silent Pythias left out) when they are a quorum of those drawn; reliabilities; the payment.</summary>
    private void Conclude(UnitStorage storage, List<LogEntry> logs, Hash256 id, UInt256 o, List<Address> drawn)
    {
        var ballot = new List<(Pythia Validator, bool Verdict)>(drawn.Count);
        foreach (var who in drawn)
            if (storage.GetUInt64(VoteSlot(id, who)) is var vote and (VotedValid or VotedInvalid)) ballot.Add((LoadPythia(storage, who), vote == VotedValid));
        bool? verdict = null;
        if (2 * ballot.Count > drawn.Count)
        {
            verdict = PythiaDraw.Settle(ballot);
            foreach (var (validator, _) in ballot)
                storage.Set(UnitStorage.At(UnitStorage.Slot(PythiaTag, Key(Address.Parse(validator.Name))), PReliability), (ulong)Math.Round(validator.Reliability * Million));
        }
        var yes = (ulong)ballot.Count(b => b.Verdict);
        Log(storage, logs, VerdictReached, id, Abi.Encode(verdict switch { true => 1UL, false => 2UL, null => 0UL }, yes, (ulong)ballot.Count - yes));
        Settle(storage, logs, id, o, pay: verdict == true);
    }

    /// <summary>The chain each segment of the offer's best strategy runs on (empty before a valid strategy).</summary>
    private static ulong[] Placement(UnitStorage storage, Hash256 id)
    {
        var o = UnitStorage.Slot(OfferTag, id);
        if (storage.Get(UnitStorage.At(o, OBest)).IsZero) return [];
        var placed = UnitStorage.Slot(PlacementTag, id);
        var chains = new ulong[storage.GetUInt64(UnitStorage.At(o, OSegments))];
        for (var i = 0; i < chains.Length; i++) chains[i] = storage.GetUInt64(UnitStorage.At(placed, (ulong)i));
        return chains;
    }

    /// <summary>
    /// Ends an offer. When <paramref name="pay"/>, the best strategy's cost is the payment: <see cref="DdpnOptions.ChainSharePpm"/> of it
    /// (rounded down) goes to the chains that run its segments, split by the DLX gas the strategy places on each (rounded down, in chain id
    /// order; a chain without a payee takes no share), and the strategist gets the rest, so the parts add up to the payment to the wei. The
    /// rest of the escrow returns to the client. All payouts are made from the escrow on the offer's payment chain.
    /// </summary>
    private void Settle(UnitStorage storage, List<LogEntry> logs, Hash256 id, UInt256 o, bool pay)
    {
        var client = Address.FromUInt256(storage.Get(UnitStorage.At(o, OClient)));
        var winner = Address.FromUInt256(storage.Get(UnitStorage.At(o, OBest)));
        var maxCost = storage.Get(UnitStorage.At(o, OMaxCost));
        var origin = storage.GetUInt64(UnitStorage.At(o, OOrigin));
        var paid = pay ? new UInt256(storage.GetUInt64(UnitStorage.At(o, OBestCost))) : UInt256.Zero;
        var heldSlot = UnitStorage.Slot(HeldTag, Key(client));
        storage.Set(heldSlot, storage.Get(heldSlot) - maxCost);
        var shares = paid.IsZero ? [] : ChainShares(storage, id, paid);
        var strategistPart = paid;
        foreach (var share in shares) strategistPart -= share.Amount;
        if (!strategistPart.IsZero) QueuePayout(storage, logs, id, origin, winner, strategistPart);
        foreach (var (chain, payee, gas, amount) in shares)
        {
            if (amount.IsZero) continue;
            QueuePayout(storage, logs, id, origin, payee, amount);
            var earned = UnitStorage.Slot(EarningsTag, Word(chain));
            storage.Set(earned, storage.Get(earned) + amount);
            Log(storage, logs, ChainPaid, id, Abi.Encode(chain, payee, gas, amount));
        }
        if (maxCost > paid) QueuePayout(storage, logs, id, origin, client, maxCost - paid);
        storage.Set(UnitStorage.At(o, OStatus), StatusClosed);
        Log(storage, logs, OfferClosed, id, Abi.Encode(pay ? winner : Address.Zero, paid, maxCost - paid));
    }

    /// <summary>Each paid chain's part of <paramref name="paid"/>: (chain, payee, DLX gas placed there, amount), in chain id order.</summary>
    private List<(ulong Chain, Address Payee, ulong Gas, UInt256 Amount)> ChainShares(UnitStorage storage, Hash256 id, UInt256 paid)
    {
        var placement = Placement(storage, id);
        var segmentSlot = UnitStorage.Slot(SegmentsTag, id);
        var gasOn = new SortedDictionary<ulong, ulong>();
        for (var i = 0; i < placement.Length; i++)
            gasOn[placement[i]] = gasOn.GetValueOrDefault(placement[i]) + storage.GetUInt64(UnitStorage.At(segmentSlot, (ulong)i));
        var total = UInt256.Zero;
        foreach (var gas in gasOn.Values) total += new UInt256(gas);
        var shares = new List<(ulong, Address, ulong, UInt256)>();
        if (total.IsZero) return shares;
        var pool = paid * new UInt256(_options.ChainSharePpm) / new UInt256(Million);
        foreach (var (chain, gas) in gasOn)
            if (_options.PayeeOf(chain) is { } payee)
                shares.Add((chain, payee, gas, pool * new UInt256(gas) / total));
        return shares;
    }

    /// <summary>An offer's status in the applied state (0 unknown, <see cref="StatusOpen"/>, <see cref="StatusVerifying"/>, <see cref="StatusClosed"/>).</summary>
    internal static ulong StatusOf(UnitStorage storage, Hash256 offer) => storage.GetUInt64(UnitStorage.At(UnitStorage.Slot(OfferTag, offer), OStatus));

    private static byte[] OfferView(UnitStorage storage, Hash256 id)
    {
        var o = UnitStorage.Slot(OfferTag, id);
        return Abi.Encode(storage.GetUInt64(UnitStorage.At(o, OStatus)), Address.FromUInt256(storage.Get(UnitStorage.At(o, OClient))),
            storage.Get(UnitStorage.At(o, OMaxCost)), storage.GetUInt64(UnitStorage.At(o, OAlpha)),
            Address.FromUInt256(storage.Get(UnitStorage.At(o, OBest))), storage.GetUInt64(UnitStorage.At(o, OBestBlocks)),
            storage.GetUInt64(UnitStorage.At(o, OBestCost)), storage.GetUInt64(UnitStorage.At(o, OStrategies)),
            storage.GetUInt64(UnitStorage.At(o, OOrigin)), storage.GetUInt64(UnitStorage.At(o, OVotes)));
    }

    private static void Log(UnitStorage storage, List<LogEntry> logs, Hash256 topic, Hash256 id, byte[] data)
    {
        storage.Meter.Charge(DdpnGas.Log + 2 * DdpnGas.LogTopic + DdpnGas.LogByte * data.Length);
        logs.Add(new LogEntry(DdpnAddresses.Management, [topic, id], data));
    }
}
