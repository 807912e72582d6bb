namespace BarlowTwins.Augment;

/// <summary>
/// The resampling weights of one axis, precomputed once per output row or column: output i reads
/// input pixels First[i] … First[i] + Count[i] − 1 with weights Weights[i·Taps …]. This is PIL's
/// antialiased resampling (also torchvision's <c>antialias=True</c>): output pixel centres at
/// (i + ½)·scale, the kernel widened by the downscale factor so it low-passes before it
/// subsamples, weights normalised to sum to 1 and cut at the image border.
/// </summary>
internal sealed class AxisWeights
{
    private AxisWeights(int[] first, int[] count, float[] weights, int taps)
    {
        First = first;
        Count = count;
        Weights = weights;
        Taps = taps;
    }

    /// <summary>Absolute index of the first input pixel each output reads.</summary>
    public int[] First { get; }

    /// <summary>Number of input pixels each output reads.</summary>
    public int[] Count { get; }

    /// <summary>Weights, <see cref="Taps"/> per output (unused tail entries are 0).</summary>
    public float[] Weights { get; }

    /// <summary>Stride of <see cref="Weights"/>: the most inputs one output can read.</summary>
    public int Taps { get; }

    /// <summary>Number of outputs.</summary>
    public int Length => First.Length;

    /// <summary>
    /// Weights that map inputs [<paramref name="start"/>, start + <paramref name="length"/>) to
    /// <paramref name="outSize"/> outputs, of which outputs [<paramref name="outOffset"/>,
    /// outOffset + <paramref name="outCount"/>) are kept (a crop after the resize), optionally in
    /// reverse order (a flip after the resize). <paramref name="scaleWeights"/> multiplies every
    /// weight (e.g. 1/255 to turn bytes into [0, 1]).
    /// </summary>
    public static AxisWeights Create(ResampleFilter filter, int start, int length, int outSize,
                                     int outOffset, int outCount, bool reverse, double scaleWeights = 1)
    {
        if (length <= 0 || outSize <= 0) throw new ArgumentException($"cannot resize {length} pixels to {outSize}");
        double scale = (double)length / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filter.Support() * filterScale;
        int taps = (int)Math.Ceiling(support) * 2 + 1;
        var first = new int[outCount];
        var count = new int[outCount];
        var weights = new float[outCount * taps];
        Span<double> w = stackalloc double[taps];
        for (int k = 0; k < outCount; k++)
        {
            int i = outOffset + k;
            double center = (i + 0.5) * scale;
            int min = Math.Max((int)(center - support + 0.5), 0);
            int n = Math.Min((int)(center + support + 0.5), length) - min;
            double total = 0;
            for (int x = 0; x < n; x++) total += w[x] = filter.Weight((x + min - center + 0.5) / filterScale);
            int slot = reverse ? outCount - 1 - k : k;
            first[slot] = start + min;
            count[slot] = n;
            double norm = total == 0 ? 0 : scaleWeights / total;
            for (int x = 0; x < n; x++) weights[slot * taps + x] = (float)(w[x] * norm);
        }
        return new AxisWeights(first, count, weights, taps);
    }
}
