namespace Thalamus.Evm;

/// <summary>What started a frame: how its end is delivered to the caller.</summary>
internal enum FrameKind : byte
{
    Call,
    Create,
}
