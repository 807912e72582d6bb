namespace BarlowTwins.Augment;

/// <summary>The order in which colour jitter applies its operations (0 brightness, 1 contrast, 2 saturation, 3 hue).</summary>
internal readonly record struct JitterOrder(byte First, byte Second, byte Third, byte Fourth)
{
    /// <summary>The operation at <paramref name="position"/> (0–3).</summary>
    public byte this[int position] => position switch { 0 => First, 1 => Second, 2 => Third, _ => Fourth };
}

/// <summary>Every random outcome of one view of one image.</summary>
internal readonly record struct ViewDraw(
    CropBox Crop,
    bool Flip,
    bool Jitter,
    float Brightness,
    float Contrast,
    float Saturation,
    float Hue,
    JitterOrder Order,
    bool Grayscale,
    bool Blur,
    float Sigma,
    bool Solarize)
{
    /// <summary>The jitter factor of operation <paramref name="op"/> (0 brightness … 3 hue).</summary>
    public float Factor(int op) => op switch { 0 => Brightness, 1 => Contrast, 2 => Saturation, _ => Hue };
}

/// <summary>Draws a <see cref="ViewDraw"/> from a <see cref="ViewRecipe"/>, in a fixed order.</summary>
internal static class ViewSampler
{
    public static ViewDraw Draw(ViewRecipe recipe, int height, int width, SampleRandom random)
    {
        var crop = RandomCrop(recipe.CropScale, recipe.CropRatio, height, width, random);
        bool flip = random.Chance(recipe.FlipProbability);
        bool jitter = random.Chance(recipe.JitterProbability);
        float brightness = 1, contrast = 1, saturation = 1, hue = 0;
        var order = new JitterOrder(0, 1, 2, 3);
        if (jitter)
        {
            brightness = Factor(recipe.Brightness, random);
            contrast = Factor(recipe.Contrast, random);
            saturation = Factor(recipe.Saturation, random);
            hue = (float)random.Uniform(-recipe.Hue, recipe.Hue);
            order = random.NextOrder();
        }
        bool grey = random.Chance(recipe.GrayscaleProbability);
        bool blur = random.Chance(recipe.BlurProbability);
        float sigma = blur ? (float)random.Uniform(recipe.BlurSigma.Min, recipe.BlurSigma.Max) : 0;
        bool solarize = random.Chance(recipe.SolarizeProbability);
        return new ViewDraw(crop, flip, jitter, brightness, contrast, saturation, hue, order, grey, blur, sigma, solarize);
    }

    /// <summary>
    /// torchvision's RandomResizedCrop.get_params: up to ten tries of an area fraction uniform in
    /// <paramref name="scale"/> and a log-uniform aspect ratio; if none fits, the largest centred
    /// crop whose ratio is clamped into <paramref name="ratio"/>.
    /// </summary>
    public static CropBox RandomCrop(Interval scale, Interval ratio, int height, int width, SampleRandom random)
    {
        double area = (double)height * width;
        double logMin = Math.Log(ratio.Min), logMax = Math.Log(ratio.Max);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * random.Uniform(scale.Min, scale.Max);
            double aspect = Math.Exp(random.Uniform(logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(target * aspect));
            int h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
                return new CropBox(random.NextInt(height - h + 1), random.NextInt(width - w + 1), h, w);
        }
        double inRatio = (double)width / height;
        int cropW = width, cropH = height;
        if (inRatio < ratio.Min) cropH = (int)Math.Round(width / ratio.Min);
        else if (inRatio > ratio.Max) cropW = (int)Math.Round(height * ratio.Max);
        return new CropBox((height - cropH) / 2, (width - cropW) / 2, cropH, cropW);
    }

    private static float Factor(double spread, SampleRandom random) =>
        (float)random.Uniform(Math.Max(0, 1 - spread), 1 + spread);
}
