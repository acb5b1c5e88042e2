namespace Thalamus.Integration.Tests;

/// <summary>One member chain of a running devnet, as its banner lists it.</summary>
internal sealed record ClusterChainEndpoint(ulong ChainId, Uri HttpUrl)
{
    /// <summary>The URL without the trailing slash (as ethers and the banner write it).</summary>
    public string Url => HttpUrl.ToString().TrimEnd('/');
}
