namespace BarlowTwins.Data;

/// <summary>The masks and colours of <see cref="SyntheticSource"/>'s ten classes.</summary>
internal static class SyntheticShapes
{
    /// <summary>Foreground and background colours whose grey levels differ by at least 64, so the class survives greyscale.</summary>
    public static (byte[] Foreground, byte[] Background) Colours(ref SplitMix64 random)
    {
        while (true)
        {
            byte[] foreground = [(byte)random.NextInt(256), (byte)random.NextInt(256), (byte)random.NextInt(256)];
            byte[] background = [(byte)random.NextInt(256), (byte)random.NextInt(256), (byte)random.NextInt(256)];
            if (Math.Abs(Luma.Of(foreground[0], foreground[1], foreground[2]) - Luma.Of(background[0], background[1], background[2])) >= 64) return (foreground, background);
        }
    }

    /// <summary>The class's mask (true = foreground), row-major, <paramref name="size"/>².</summary>
    public static bool[] Draw(int label, int size, ref SplitMix64 random)
    {
        double centreX = size * (0.35 + 0.3 * random.NextDouble()), centreY = size * (0.35 + 0.3 * random.NextDouble());
        double radius = size * (0.2 + 0.15 * random.NextDouble());
        double period = 4 + 5 * random.NextDouble(), phase = period * random.NextDouble();
        var mask = new bool[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double dx = x + 0.5 - centreX, dy = y + 0.5 - centreY;
                mask[y * size + x] = label switch
                {
                    0 => dx * dx + dy * dy <= radius * radius,
                    1 => Math.Abs(dx) <= radius * 0.85 && Math.Abs(dy) <= radius * 0.85,
                    2 => dy <= radius * 0.7 && dy >= -radius + 2 * Math.Abs(dx) * 0.85,
                    3 => Math.Min(Math.Abs(dx), Math.Abs(dy)) <= radius * 0.3 && Math.Max(Math.Abs(dx), Math.Abs(dy)) <= radius,
                    4 => Math.Abs(Math.Sqrt(dx * dx + dy * dy) - radius * 0.75) <= radius * 0.25,
                    5 => Stripe(y + phase, period),
                    6 => Stripe(x + phase, period),
                    7 => Stripe((x + y) * 0.7071 + phase, period),
                    8 => Stripe(x + phase, period * 2) ^ Stripe(y + phase, period * 2),
                    _ => Dot(x + phase, y + phase, period * 1.5),
                };
            }
        return mask;
    }

    private static bool Stripe(double position, double period) => position % period < period / 2;

    private static bool Dot(double x, double y, double period)
    {
        double u = x % period - period / 2, v = y % period - period / 2;
        return u * u + v * v <= period * period / 9;
    }
}
