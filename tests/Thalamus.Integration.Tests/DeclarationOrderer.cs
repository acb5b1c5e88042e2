using Xunit.Abstractions;
using Xunit.Sdk;

namespace Thalamus.Integration.Tests;

/// <summary>Runs a class's tests by their <see cref="DeclarationOrderAttribute"/> (unmarked ones last, by name).</summary>
public sealed class DeclarationOrderer : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases
            .OrderBy(c => c.TestMethod.Method.GetCustomAttributes(typeof(DeclarationOrderAttribute).AssemblyQualifiedName!)
                .FirstOrDefault()?.GetNamedArgument<int>(nameof(DeclarationOrderAttribute.Order)) ?? int.MaxValue)
            .ThenBy(c => c.TestMethod.Method.Name, StringComparer.Ordinal);
}
