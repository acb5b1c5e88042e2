namespace Thalamus.Chain;

// anvil's pool conveniences: drop a pending transaction.
public sealed partial class MemberChain
{
    /// <summary>anvil_dropTransaction: removes a pooled transaction; false when the pool does not hold it.</summary>
    public bool DropTransaction(Thalamus.Core.Hash256 hash)
    {
        lock (_lock)
        {
            if (Pool.Get(hash) is not { } pooled) return false;
            Pool.Remove(hash);
            Pool.Reconcile([pooled.Sender]);
            return true;
        }
    }
}
