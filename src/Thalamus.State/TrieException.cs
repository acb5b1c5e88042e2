namespace Thalamus.State;

/// <summary>A trie node is missing from its store or is malformed there.</summary>
public sealed class TrieException : Exception
{
    public TrieException(string message)
        : base(message)
    {
    }

    public TrieException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
