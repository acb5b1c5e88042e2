namespace Thalamus.Chain;

/// <summary>A broken validity rule and geth's message for it.</summary>
public sealed record TransactionRejection(TransactionRule Rule, string Message)
{
    public override string ToString() => Message;
}
