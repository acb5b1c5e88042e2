namespace Thalamus.Evm;

/// <summary>The four message-call opcodes (a transaction's own call is <see cref="Call"/>).</summary>
internal enum CallKind : byte
{
    Call,
    CallCode,
    DelegateCall,
    StaticCall,
}
