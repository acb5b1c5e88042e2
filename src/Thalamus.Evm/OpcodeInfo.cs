namespace Thalamus.Evm;

/// <summary>
/// One opcode's contract for the interpreter loop: its static gas and the stack bounds checked
/// before it runs. <see cref="StackSlack"/> is precomputed so one unsigned comparison checks both
/// bounds: the instruction may run iff <c>(uint)(size - MinStack) &lt;= StackSlack</c>.
/// </summary>
public readonly struct OpcodeInfo
{
    public readonly int StaticGas;
    public readonly int MinStack;
    public readonly int StackSlack;

    public OpcodeInfo(int staticGas, int inputs, int outputs)
    {
        StaticGas = staticGas;
        MinStack = inputs;
        var growth = Math.Max(0, outputs - inputs);
        StackSlack = GasCosts.StackLimit - growth - inputs;
    }
}
