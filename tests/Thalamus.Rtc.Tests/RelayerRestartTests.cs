using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Integration.Tests;
using Thalamus.Storage;

namespace Thalamus.Rtc.Tests;

/// <summary>The relayers' progress on their external chain is stored with the slots: a restart reads on from there, not from block 0, and loses nothing.</summary>
public sealed class RelayerRestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-rtc-relayer-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [AnvilFact]
    public async Task After_a_restart_the_relayers_read_on_from_their_stored_cursors_and_carry_the_answer_one_had_read_but_not_carried()
    {
        var path = Path.Combine(_directory, "cluster.db");
        var database = ClusterDatabase.Open(path);
        try
        {
            await using var rig = await ExternalRig.StartAsync(startRelayers: false, database: database);
            // RTC 1: carried both ways by relayer a.
            var (one, _) = rig.SendDeposit(deadlineSeconds: 120, amount: 1);
            rig.Relayer(0).Start();
            await rig.WaitForStatusAsync(one, RtcStatus.Ack);
            await rig.Relayer(0).StopAsync();
            // RTC 2: delivered by a; relayer b reads its answer but it is not b's turn yet (b waits 1 s), and neither carries it.
            var (two, _) = rig.SendDeposit(deadlineSeconds: 120, amount: 2);
            await rig.Relayer(0).DeliverAsync();
            await rig.Relayer(1).StepAsync();
            Assert.Null(rig.Relayer(1).LastError);
            var answers = (await rig.AnvilLogsAsync(RtcLogs.RtcAnswered))
                .ToDictionary(l => Hash256.Parse(l.GetProperty("topics")[1].GetString()!), l => (ulong)UInt256.Parse(l.GetProperty("blockNumber").GetString()!));
            var cursorA = rig.Relayer(0).Cursor.NextBlock;
            Assert.InRange(cursorA, answers[one] + 1, answers[two]); // a read past answer 1 (carried), not up to answer 2
            Assert.Equal(answers[two], rig.Relayer(1).Cursor.NextBlock); // b stays at the answer it has not carried
            Assert.Equal(RtcStatus.Pending, rig.Rtc.Module.GetRtc(two)!.Status);
            rig.Rtc.Send(rig.Origin, 3, RtcCluster.Accounts[3].Address, []); // a slot: the cursors are stored with it

            await rig.RestartAsync(() =>
            {
                database.Dispose();
                return database = ClusterDatabase.Open(path);
            });

            rig.Relayer(1).Start();
            await rig.WaitForStatusAsync(two, RtcStatus.Ack);
            Assert.Equal(answers[two], rig.Relayer(1).FirstScannedBlock);
            Assert.Equal((0, 1), (rig.Relayer(1).Deliveries, rig.Relayer(1).Answers));
            await rig.Relayer(0).StepAsync();
            Assert.Equal(cursorA, rig.Relayer(0).FirstScannedBlock);
            Assert.Equal((0, 0), (rig.Relayer(0).Deliveries, rig.Relayer(0).Answers)); // nothing left to carry, nothing twice
            Assert.Single(await rig.AnvilLogsAsync(RtcLogs.RtcAnswered), l => Hash256.Parse(l.GetProperty("topics")[1].GetString()!) == two);
        }
        finally
        {
            database.Dispose();
        }
    }

    [AnvilFact]
    public async Task A_stored_cursor_whose_block_the_external_chain_no_longer_has_is_dropped_and_the_relayer_reads_from_block_zero()
    {
        var path = Path.Combine(_directory, "cluster.db");
        var database = ClusterDatabase.Open(path);
        try
        {
            await using var rig = await ExternalRig.StartAsync(startRelayers: false, database: database);
            var snapshot = (await rig.Anvil.CallAsync("evm_snapshot")).GetString();
            var (one, _) = rig.SendDeposit(deadlineSeconds: 120, amount: 1);
            rig.Relayer(0).Start();
            await rig.WaitForStatusAsync(one, RtcStatus.Ack);
            await rig.Relayer(0).StopAsync();
            Assert.True(rig.Relayer(0).Cursor.NextBlock > 0);
            rig.Rtc.Send(rig.Origin, 3, RtcCluster.Accounts[3].Address, []);
            // The external chain goes back (as a reset devnet would): the block the cursor last read is gone.
            Assert.True((await rig.Anvil.CallAsync("evm_revert", snapshot)).GetBoolean());

            await rig.RestartAsync(() =>
            {
                database.Dispose();
                return database = ClusterDatabase.Open(path);
            });
            await rig.Relayer(0).StepAsync();
            Assert.Null(rig.Relayer(0).LastError);
            Assert.Equal(0UL, rig.Relayer(0).FirstScannedBlock);
        }
        finally
        {
            database.Dispose();
        }
    }
}
