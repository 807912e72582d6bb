namespace BarlowTwins.Data;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator with a fixed, documented output on every
/// platform and .NET version (System.Random promises neither), also used to derive independent
/// seeds from tuples such as (seed, epoch, batch).
/// </summary>
public struct SplitMix64(ulong state)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong state = state;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = state += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) (multiply-shift; bias at most bound / 2⁶⁴).</summary>
    public int NextInt(int bound) => (int)(((UInt128)Next() * (ulong)bound) >> 64);

    /// <summary>Fisher–Yates: every order of <paramref name="items"/> equally likely.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A seed derived from a tuple of numbers: different tuples give unrelated seeds.</summary>
    public static long Derive(params ReadOnlySpan<long> parts)
    {
        var mixer = new SplitMix64(0x6A09E667F3BCC909UL);
        ulong seed = mixer.Next();
        foreach (long part in parts)
            seed = new SplitMix64(seed ^ (ulong)part).Next();
        return (long)seed;
    }
}
