namespace Thalamus.Crypto;

/// <summary>The constants of a short Weierstrass curve y² = x³ + b (a = 0) over <typeparamref name="TField"/>.</summary>
internal interface ICurveParameters<TField> where TField : unmanaged, IFieldElement<TField>
{
    static abstract TField B { get; }
}
