
namespace Zccp.Protocol;

/// <summary>A set of byte values (a 256-bit map): one zrex character class.</summary>
internal sealed class ByteSet
{
    private readonly ulong[] _bits = new ulong[4];

    public bool Contains(byte value) => (_bits[value >> 6] & (1UL << (value & 63))) != 0;

    public void Add(byte value) => _bits[value >> 6] |= 1UL << (value & 63);

    public void AddRange(byte low, byte high)
    {
        for (var value = low; ; value++)
        {
            Add(value);
            if (value == high)
                return;
        }
    }

    public void UnionWith(ByteSet other)
    {
        for (var i = 0; i < _bits.Length; i++)
            _bits[i] |= other._bits[i];
    }

    public void Invert()
    {
        for (var i = 0; i < _bits.Length; i++)
            _bits[i] = ~_bits[i];
    }

    public ByteSet Inverted()
    {
        Invert();
        return this;
    }

    // The C locale's classes, as SLRE tests them with isdigit, isspace, isalpha and isalnum.
    public static ByteSet Digits() => Range('0', '9');

    public static ByteSet Spaces()
    {
        var set = new ByteSet();
        foreach (var c in " \t\n\v\f\r")
            set.Add((byte)c);
        return set;
    }

    public static ByteSet Letters()
    {
        var set = Range('a', 'z');
        set.UnionWith(Range('A', 'Z'));
        return set;
    }

    public static ByteSet Alphanumerics()
    {
        var set = Letters();
        set.UnionWith(Digits());
        return set;
    }

    private static ByteSet Range(char low, char high)
    {
        var set = new ByteSet();
        set.AddRange((byte)low, (byte)high);
        return set;
    }
}
