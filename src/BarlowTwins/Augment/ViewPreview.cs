using BarlowTwins.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Shows what training sees: a PNG grid with one row per image (original | view A | view B), the
/// views taken from the first batch of epoch 0 exactly as a loader with the same seed makes them,
/// un-normalised for display. Small images are enlarged with nearest-neighbour sampling so their
/// pixels stay visible.
/// </summary>
public static class ViewPreview
{
    private const int Gap = 4, MinimumCell = 112;

    /// <summary>Writes the grid of <paramref name="count"/> images of <paramref name="source"/> to <paramref name="path"/>.</summary>
    public static void Write(IImageSource source, TwoViewRecipe recipe, string path, int count, long seed)
    {
        var options = new LoaderOptions(Math.Min(count, source.Count), seed, Workers: 0);
        var loader = new BatchLoader<TwoViewBatch>(source, new TwoViewTransform(recipe), options);
        var originals = loader.Slice(loader.Order(0), 0).ToArray().Select(source.Get).ToList();
        using var batch = loader.Epoch(0).First();
        using var viewA = Displayable(batch.ViewA, recipe.Normalization);
        using var viewB = Displayable(batch.ViewB, recipe.Normalization);
        int cell = recipe.Size * Math.Max(1, (MinimumCell + recipe.Size - 1) / recipe.Size);
        var info = new SKImageInfo(3 * cell + 4 * Gap, originals.Count * (cell + Gap) + Gap, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(128, 128, 128));
        for (int row = 0; row < originals.Count; row++)
        {
            float top = Gap + row * (cell + Gap);
            using var original = ToImage(originals[row].Pixels, originals[row].Height, originals[row].Width, originals[row].Channels);
            DrawFitted(canvas, original, new SKRect(Gap, top, Gap + cell, top + cell));
            foreach (var (view, column) in new[] { (viewA, 1), (viewB, 2) })
            {
                using var image = ViewImage(view, row, recipe.Size, recipe.Channels);
                float left = Gap + column * (cell + Gap);
                DrawFitted(canvas, image, new SKRect(left, top, left + cell, top + cell));
            }
        }
        using var png = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }

    /// <summary>What reading one epoch took.</summary>
    /// <param name="Batches">Batches read.</param>
    /// <param name="Images">Images in them.</param>
    /// <param name="Elapsed">Wall time from the first request to the last batch.</param>
    public sealed record EpochReading(int Batches, long Images, TimeSpan Elapsed)
    {
        /// <summary>Images per second.</summary>
        public double ImagesPerSecond => Images / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Reads epoch 0 of two-view batches through a <see cref="BatchLoader{TBatch}"/> and disposes
    /// them: proof that the whole source loads, and the pipeline's speed. Each of the loader's
    /// workers renders its batch's images on an equal share of the cores.
    /// </summary>
    public static EpochReading ReadEpoch(IImageSource source, TwoViewRecipe recipe, LoaderOptions options, Action<int>? batchDone = null)
    {
        int perWorker = Math.Max(1, Environment.ProcessorCount / Math.Max(1, options.Workers));
        var loader = new BatchLoader<TwoViewBatch>(source, new TwoViewTransform(recipe, parallelism: perWorker), options);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int batches = 0;
        long images = 0;
        foreach (var batch in loader.Epoch(0))
            using (batch)
            {
                images += batch.Count;
                batchDone?.Invoke(++batches);
            }
        return new EpochReading(batches, images, clock.Elapsed);
    }

    /// <summary>N × H × W × C bytes of an N × C × H × W normalised batch: x·std + mean, clamped to [0, 1], ×255, rounded.</summary>
    private static Tensor Displayable(Tensor view, Normalization normalization)
    {
        using var scope = NewDisposeScope();
        var mean = tensor(normalization.Mean).reshape(1, -1, 1, 1);
        var std = tensor(normalization.Std).reshape(1, -1, 1, 1);
        var bytes = (view.cpu() * std + mean).clamp(0, 1).mul(255).round().to_type(ScalarType.Byte).permute(0, 2, 3, 1).contiguous();
        return bytes.MoveToOuterDisposeScope();
    }

    private static SKImage ViewImage(Tensor bytes, int index, int size, int channels)
    {
        using var one = bytes[index];
        return ToImage(one.data<byte>().ToArray(), size, size, channels);
    }

    /// <summary>An image of height × width × channels bytes (grey drawn as grey, RGB made opaque RGBA).</summary>
    private static SKImage ToImage(byte[] pixels, int height, int width, int channels)
    {
        if (channels == 1)
            return SKImage.FromPixelCopy(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), pixels);
        var rgba = new byte[height * width * 4];
        for (int p = 0; p < height * width; p++)
        {
            rgba[4 * p] = pixels[3 * p];
            rgba[4 * p + 1] = pixels[3 * p + 1];
            rgba[4 * p + 2] = pixels[3 * p + 2];
            rgba[4 * p + 3] = 255;
        }
        return SKImage.FromPixelCopy(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba);
    }

    /// <summary>Draws <paramref name="image"/> as large as fits in <paramref name="cell"/>, centred, keeping its aspect.</summary>
    private static void DrawFitted(SKCanvas canvas, SKImage image, SKRect cell)
    {
        float scale = Math.Min(cell.Width / image.Width, cell.Height / image.Height);
        float width = image.Width * scale, height = image.Height * scale;
        var target = SKRect.Create(cell.MidX - width / 2, cell.MidY - height / 2, width, height);
        var sampling = scale >= 1 ? new SKSamplingOptions(SKFilterMode.Nearest) : new SKSamplingOptions(SKCubicResampler.Mitchell);
        canvas.DrawImage(image, target, sampling);
    }
}
