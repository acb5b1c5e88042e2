using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>A fact that is skipped, with the reason, when Node.js is not installed.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (NodeJs.Executable is null)
            Skip = NodeJs.MissingReason;
    }
}
