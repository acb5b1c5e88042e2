namespace Thalamus.Dlx;

/// <summary>Selects, at JIT time, whether the interpreter loop runs whole pre-charged blocks or one instruction.</summary>
internal interface IExecutionMode
{
    static abstract bool SingleStep { get; }
}

/// <summary>Runs pre-charged basic blocks until a stop or a block that does not fit the budget.</summary>
internal readonly struct BlockMode : IExecutionMode
{
    public static bool SingleStep => false;
}

/// <summary>Runs exactly one pre-charged instruction.</summary>
internal readonly struct StepMode : IExecutionMode
{
    public static bool SingleStep => true;
}
