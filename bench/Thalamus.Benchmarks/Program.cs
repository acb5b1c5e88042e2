using BenchmarkDotNet.Running;

// Every benchmark class in this assembly, selectable with --filter (e.g. --filter '*Keccak*').
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
