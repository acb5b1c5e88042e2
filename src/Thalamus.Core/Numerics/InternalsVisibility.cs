using System.Runtime.CompilerServices;

// The numerics tests check internal building blocks (reciprocal, 2-by-1 division) directly.
[assembly: InternalsVisibleTo("Thalamus.Core.Tests")]
// The MULMOD benchmark runs the reciprocal path against the Barrett and division paths it replaced, in one process.
[assembly: InternalsVisibleTo("Thalamus.Benchmarks")]
