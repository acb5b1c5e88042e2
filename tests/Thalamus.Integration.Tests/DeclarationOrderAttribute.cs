namespace Thalamus.Integration.Tests;

/// <summary>The position of a test in its class for <see cref="DeclarationOrderer"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DeclarationOrderAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}
