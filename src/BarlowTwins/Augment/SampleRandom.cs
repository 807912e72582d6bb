using BarlowTwins.Data;

namespace BarlowTwins.Augment;

/// <summary>
/// The random draws of one image: a <see cref="SplitMix64"/> seeded from (batch seed, index in
/// batch). Each image owns its generator, so draws do not depend on which thread renders it or in
/// what order, and a run replays exactly for a seed.
/// </summary>
internal sealed class SampleRandom(long seed, long index)
{
    private SplitMix64 _generator = new((ulong)SplitMix64.Derive(seed, index));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => _generator.NextDouble();

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>True with probability <paramref name="p"/> (never for p = 0, always for p = 1).</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Uniform integer in [0, count).</summary>
    public int NextInt(int count) => _generator.NextInt(count);

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
}
