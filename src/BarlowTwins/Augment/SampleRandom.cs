namespace BarlowTwins.Augment;

/// <summary>
/// The random draws of one image: SplitMix64 seeded from (batch seed, index in batch). Each image
/// owns its generator, so draws do not depend on which thread renders it or in what order, and a
/// run replays exactly for a seed. SplitMix64 passes BigCrush and costs a few instructions a draw.
/// </summary>
internal sealed class SampleRandom(long seed, long index)
{
    private ulong _state = Mix(Mix((ulong)seed) ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1)));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>True with probability <paramref name="p"/> (never for p = 0, always for p = 1).</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Uniform integer in [0, count), without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public int NextInt(int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be positive");
        ulong bound = (ulong)count;
        ulong threshold = (0 - bound) % bound;
        while (true)
        {
            ulong product = Math.BigMul(Next(), bound, out ulong low);
            if (low >= threshold) return (int)product;
        }
    }

    /// <summary>A uniformly random order of 0..3 (Fisher–Yates).</summary>
    public JitterOrder NextOrder()
    {
        Span<byte> order = [0, 1, 2, 3];
        for (int i = 3; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return new JitterOrder(order[0], order[1], order[2], order[3]);
    }

    private ulong Next() => Mix(_state += 0x9E3779B97F4A7C15UL);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
