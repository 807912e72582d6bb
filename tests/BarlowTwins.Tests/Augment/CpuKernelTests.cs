using BarlowTwins.Augment;
using BarlowTwins.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Augment;

/// <summary>
/// The SIMD kernels of <see cref="CpuKernels"/> against their scalar formulas on tiny planar
/// images whose width is not a multiple of the register (so the scalar tail runs too), with
/// pixels on every branch: grey (max = min), ties of the maximum, black, white, each hue sector.
/// </summary>
public class CpuKernelTests
{
    private const int Height = 5, Width = 7, Plane = Height * Width;

    // The scalar luma of pixel i of a planar RGB image: the reference the SIMD kernels are held to.
    private static float Luma(float[] image, int i) => Grey.Red * image[i] + Grey.Green * image[Plane + i] + Grey.Blue * image[2 * Plane + i];

    /// <summary>3 planes of 5 × 7: 11 hand-picked pixels, then seeded random ones.</summary>
    private static float[] Image()
    {
        (float R, float G, float B)[] special =
        [
            (0, 0, 0), (1, 1, 1), (0.5f, 0.5f, 0.5f), (1, 1, 0), (0, 1, 1), (1, 0, 1),
            (0.9f, 0.2f, 0.2f), (0.2f, 0.9f, 0.2f), (0.2f, 0.2f, 0.9f), (0.7f, 0.7f, 0.1f), (1e-7f, 0, 0),
        ];
        var random = new Random(5);
        var image = new float[3 * Plane];
        for (int i = 0; i < Plane; i++)
        {
            var (r, g, b) = i < special.Length ? special[i] : (random.NextSingle(), random.NextSingle(), random.NextSingle());
            (image[i], image[Plane + i], image[2 * Plane + i]) = (r, g, b);
        }
        return image;
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(-0.1f)]
    [InlineData(0.5f)]
    [InlineData(-0.03f)]
    public void VectorHueEqualsScalarHueBitForBit(float shift)
    {
        var vector = Image();
        var scalar = Image();
        CpuKernels.Hue(vector, shift);
        CpuKernels.HueScalar(scalar, shift);
        // The same IEEE operations in the same order: identical bits, tolerance 0.
        Assert.Equal(scalar, vector);
    }

    [Theory]
    [InlineData(0.8f)]
    [InlineData(1.2f)]
    public void VectorSaturationEqualsTheScalarFormula(float factor)
    {
        var image = Image();
        var expected = (float[])image.Clone();
        for (int i = 0; i < Plane; i++)
        {
            float grey = (1 - factor) * Luma(image, i);
            for (int c = 0; c < 3; c++) expected[c * Plane + i] = Math.Clamp(factor * image[c * Plane + i] + grey, 0f, 1f);
        }
        CpuKernels.Saturation(image, 3, factor);
        // Same operations in the same order, no fused multiply-add: tolerance 0.
        Assert.Equal(expected, image);
    }

    [Theory]
    [InlineData(0.6f)]
    [InlineData(1.4f)]
    public void VectorContrastMatchesTheScalarMean(float factor)
    {
        var image = Image();
        double sum = 0;
        for (int i = 0; i < Plane; i++) sum += Luma(image, i);
        float offset = (1 - factor) * (float)(sum / Plane);
        var expected = image.Select(x => Math.Clamp(factor * x + offset, 0f, 1f)).ToArray();
        CpuKernels.Contrast(image, 3, factor);
        // The mean is summed in another order (double lanes): ≤ 1 ulp of the offset, 1e-7 of [0, 1].
        Assert.All(image.Zip(expected), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-7));
    }
}

/// <summary>The per-image SIMD blur (negligible taps dropped) against the full 23-tap kernel as libtorch convolutions.</summary>
public class CpuBlurTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.6f)]
    [InlineData(1.3f)]
    [InlineData(2.0f)]
    public void BlurMatchesTheFullKernelTensorBlur(float sigma)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        // 13 × 77: more rows than the kernel's radius 11, columns through every path (4 registers, 1 register, scalar).
        const int height = 13, width = 77;
        var random = new Random(3);
        var pixels = Enumerable.Range(0, 3 * height * width).Select(_ => random.NextSingle()).ToArray();
        var expected = Photometric.GaussianBlurTensor(tensor(pixels, [1, 3, height, width]), tensor(new[] { sigma }), 23);
        CpuKernels.GaussianBlur(pixels, height, width, sigma, 23);
        // Dropped taps weigh < 2⁻²⁴ each (≤ 3e-7 in all), plus float32 sums in another order.
        Assert.True(Compare.AbsoluteMax(tensor(pixels, [1, 3, height, width]), expected) <= 1e-6);
    }

    [Fact]
    public void OnlyTapsBelowHalfAnUlpOfOneAreDropped()
    {
        var kernel = CpuKernels.GaussianKernel(1f, 23);
        int radius = CpuKernels.SignificantRadius(kernel);
        Assert.Equal(5, radius); // exp(−36/2)/√(2π) ≈ 6e-9 < 2⁻²⁴ at distance 6; exp(−25/2)/√(2π) ≈ 1.5e-6 at 5
        Assert.Equal(0, CpuKernels.SignificantRadius(CpuKernels.GaussianKernel(0.1f, 23)));
    }
}

/// <summary>The SIMD resampler against the separable sum written out in scalar float, in the same order.</summary>
public class ResamplerTests
{
    [Theory]
    [InlineData(11, 6, false)] // downscale, width not a multiple of 4 (groups of four outputs, then single ones)
    [InlineData(11, 6, true)]
    [InlineData(37, 29, true)] // upscale
    public void ResampleEqualsTheScalarSeparableSum(int outWidth, int outHeight, bool flip)
    {
        const int height = 19, width = 23, channels = 3;
        var random = new Random(9);
        var pixels = new byte[height * width * channels];
        random.NextBytes(pixels);
        var rows = AxisWeights.Create(ResampleFilter.Bicubic, 2, 15, outHeight, 0, outHeight, false, 1 / 255.0);
        var cols = AxisWeights.Create(ResampleFilter.Bicubic, 3, 17, outWidth, 0, outWidth, flip);
        var actual = new float[channels * outHeight * outWidth];
        Resampler.Resample(pixels, width, channels, rows, cols, actual);

        var expected = new float[actual.Length];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < outHeight; y++)
                for (int x = 0; x < outWidth; x++)
                {
                    float sum = 0;
                    for (int j = 0; j < cols.Count[x]; j++)
                    {
                        float column = 0;
                        for (int i = 0; i < rows.Count[y]; i++)
                            column += rows.Weights[y * rows.Taps + i] * pixels[((rows.First[y] + i) * width + cols.First[x] + j) * channels + c];
                        sum += cols.Weights[x * cols.Taps + j] * column;
                    }
                    expected[(c * outHeight + y) * outWidth + x] = sum;
                }
        // The same float32 products summed in the same order (zero-weight taps add exact zeros): tolerance 0.
        Assert.Equal(expected, actual);
    }
}
