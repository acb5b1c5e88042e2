namespace Thalamus.Crypto;

/// <summary>
/// The field operations the generic curve arithmetic needs. Static abstract members (rather than instance
/// interface methods) so that calls on readonly fields and <c>in</c> parameters of a generic <typeparamref name="TSelf"/>
/// need no defensive copies; the JIT specializes every struct instantiation, so they compile to direct calls.
/// </summary>
internal interface IFieldElement<TSelf> where TSelf : unmanaged, IFieldElement<TSelf>
{
    static abstract TSelf Zero { get; }
    static abstract TSelf One { get; }

    static abstract TSelf operator +(in TSelf a, in TSelf b);
    static abstract TSelf operator -(in TSelf a, in TSelf b);
    static abstract TSelf operator -(in TSelf a);
    static abstract TSelf operator *(in TSelf a, in TSelf b);
    static abstract bool operator ==(in TSelf a, in TSelf b);
    static abstract bool operator !=(in TSelf a, in TSelf b);

    static abstract TSelf Square(in TSelf a);
    static abstract TSelf Double(in TSelf a);
    static abstract TSelf Inverse(in TSelf a);
    static abstract bool IsZero(in TSelf a);
}
