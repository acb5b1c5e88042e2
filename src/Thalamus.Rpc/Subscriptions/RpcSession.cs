namespace Thalamus.Rpc;

/// <summary>
/// A connection that can receive pushed messages (a WebSocket). Subscriptions belong to one
/// session and end with it.
/// </summary>
public abstract class RpcSession
{
    private readonly List<Subscription> _awaitingActivation = [];
    private int _subscriptionCount;

    /// <summary>Queues a complete JSON message for sending; false when the session is closed or too far behind.</summary>
    public abstract bool TrySend(byte[] message);

    internal int SubscriptionCount => Volatile.Read(ref _subscriptionCount);

    internal void Added(Subscription subscription)
    {
        Interlocked.Increment(ref _subscriptionCount);
        lock (_awaitingActivation) _awaitingActivation.Add(subscription);
    }

    internal void Removed() => Interlocked.Decrement(ref _subscriptionCount);

    /// <summary>Call after the response that created subscriptions has been queued: from now on they deliver.</summary>
    public void ActivateSubscriptions()
    {
        lock (_awaitingActivation)
        {
            foreach (var s in _awaitingActivation) s.Active = true;
            _awaitingActivation.Clear();
        }
    }
}
