namespace Thalamus.Chain;

public enum BlockSelectorKind : byte
{
    Latest,
    Earliest,
    Pending,
    Safe,
    Finalized,
    Number,
    Hash,
}
