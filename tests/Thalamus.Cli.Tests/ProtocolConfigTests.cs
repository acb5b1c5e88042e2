using Thalamus.Cli.Configuration;
using Thalamus.Cli.Hosting;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>cluster.yaml <c>ddpn:</c> and <c>multicast:</c>, and how they reach the protocol modules a command-line cluster runs.</summary>
public sealed class ProtocolConfigTests
{
    private static ClusterConfigFile File(string yaml) => ClusterConfigReader.Parse(yaml, "c.yaml", "/base", "/base/c.yaml");

    private static ClusterConfigException Fails(string yaml) => Assert.Throws<ClusterConfigException>(() => File(yaml));

    private static readonly Address FirstDevAccount = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 1)[0].Address;

    [Fact]
    public void Ddpn_and_multicast_settings_are_read_and_passed_to_their_modules()
    {
        var settings = ClusterLaunchSettings.Resolve(File("""
            ddpn:
              paymentToken: "0x00000000000000000000000000000000000000aa"
              chainShare: 0.25
              chainPayees: { 901: "0x00000000000000000000000000000000000000b1", 902: "0x00000000000000000000000000000000000000b2" }
              defaultChainPayee: "0x00000000000000000000000000000000000000bf"
              voteTimeoutSlots: 7
            multicast: { feeOwner: "0x00000000000000000000000000000000000000cc" }
            """), new ClusterOverrides());

        var ddpn = settings.Ddpn;
        Assert.Equal(Address.Parse("0x00000000000000000000000000000000000000aa"), ddpn.PaymentToken);
        Assert.Equal(250_000u, ddpn.ChainSharePpm);
        Assert.Equal(Address.Parse("0x00000000000000000000000000000000000000b2"), ddpn.PayeeOf(902));
        Assert.Equal(Address.Parse("0x00000000000000000000000000000000000000bf"), ddpn.PayeeOf(903));
        Assert.Equal(7UL, ddpn.VoteTimeoutSlots);
        Assert.Equal(Address.Parse("0x00000000000000000000000000000000000000cc"), settings.MulticastFeeOwner);

        var modules = ProtocolModules.Create(settings);
        Assert.Same(ddpn, modules.OfType<Ddpn.DdpnModule>().Single().Options);
        Assert.Equal(settings.MulticastFeeOwner, modules.OfType<Multicast.MulticastModule>().Single().FeeOwner);
    }

    [Fact]
    public void Without_the_settings_the_payment_token_is_the_Hermes_predeploy_and_the_first_dev_account_owns_fees_and_chain_shares()
    {
        var settings = ClusterLaunchSettings.Resolve(File("delta: 1s\n"), new ClusterOverrides());
        Assert.Equal(Address.Parse("0x4200000000000000000000000000000000000070"), settings.Ddpn.PaymentToken);
        Assert.Equal(FirstDevAccount, settings.Ddpn.PayeeOf(901));
        Assert.Equal(FirstDevAccount, settings.MulticastFeeOwner);
        Assert.Equal(new Ddpn.DdpnOptions().ChainSharePpm, settings.Ddpn.ChainSharePpm);

        // With no dev accounts there is no default owner: no one withdraws fees, chains without a payee take no share.
        var bare = ClusterLaunchSettings.Resolve(File("accounts: { count: 0 }\n"), new ClusterOverrides());
        Assert.Null(bare.MulticastFeeOwner);
        Assert.Null(bare.Ddpn.PayeeOf(901));
    }

    [Theory]
    [InlineData("ddpn: { paymentToken: 0x1234 }", "c.yaml:1:23: ddpn.paymentToken: '0x1234' is not an address (0x and 40 hex digits)")]
    [InlineData("ddpn: { paymentToken: \"00000000000000000000000000000000000000aa00\" }", "ddpn.paymentToken: '00000000000000000000000000000000000000aa00' is not an address (0x and 40 hex digits)")]
    [InlineData("ddpn: { paymentToken: \"0x00000000000000000000000000000000000000zz\" }", "ddpn.paymentToken: '0x00000000000000000000000000000000000000zz' is not an address")]
    [InlineData("multicast: { feeOwner: hello }", "c.yaml:1:24: multicast.feeOwner: 'hello' is not an address (0x and 40 hex digits)")]
    [InlineData("multicast: { feeOwner: [1, 2] }", "multicast.feeOwner:")]
    [InlineData("multicast: { owner: \"0x00000000000000000000000000000000000000cc\" }", "unknown multicast setting 'owner'; known: feeOwner")]
    [InlineData("ddpn: { paymentTokn: \"0x00000000000000000000000000000000000000aa\" }", "unknown ddpn setting 'paymentTokn'")]
    [InlineData("ddpn: { chainShare: 1.5 }", "ddpn.chainShare: expected the chains' share of a payment between 0 and 1 (e.g. 0.5), found '1.5'")]
    [InlineData("ddpn: { chainShare: 0.1234567 }", "ddpn.chainShare: 0.1234567 has more than 6 decimals")]
    [InlineData("ddpn: { chainPayees: { 901: \"0x0000000000000000000000000000000000000000\" } }", "ddpn.chainPayees.901: the zero address cannot be paid")]
    [InlineData("ddpn: { chainPayees: { abc: \"0x00000000000000000000000000000000000000b1\" } }", "ddpn.chainPayees: 'abc' is not a whole number")]
    [InlineData("ddpn: { voteTimeoutSlots: -1 }", "ddpn.voteTimeoutSlots: '-1' is not a whole number (it cannot be negative)")]
    [InlineData("ddpn: 5", "ddpn:")]
    public void A_malformed_ddpn_or_multicast_setting_is_a_clear_located_error(string yaml, string expected)
    {
        var error = Fails(yaml + "\n");
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("c.yaml:1:", error.Message, StringComparison.Ordinal);
    }
}
