// Nearest-neighbour image retrieval with a backbone exported by `barlow export --format onnx`.
// Needs only ONNX Runtime and SkiaSharp: this is what deploying a BarlowTwins backbone takes.
//
//   dotnet run --project samples/OnnxRetrieval -- backbone.onnx photo1.jpg photo2.jpg …
//
// Every photo enters the gallery four times (as is, centre crop, mirrored, mirrored crop); each
// gallery image then asks for its nearest neighbours by cosine similarity of the features.
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: OnnxRetrieval MODEL.onnx IMAGE [IMAGE …]");
    return 2;
}

using var session = new InferenceSession(args[0]);
var input = session.InputMetadata.Single();
// How the backbone wants its input, as `barlow export` records it in the model's metadata_props.
var properties = session.ModelMetadata.CustomMetadataMap;
string Property(string key) => properties.TryGetValue(key, out var value) ? value
    : throw new InvalidDataException($"{args[0]} has no '{key}' in its metadata: export it with a current `barlow export`.");
float[] Floats(string key) => [.. Property(key).Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
int channels = int.Parse(Property("channels"), System.Globalization.CultureInfo.InvariantCulture);
int Size = int.Parse(Property("input_size"), System.Globalization.CultureInfo.InvariantCulture);
float[] mean = Floats("mean"), std = Floats("std");
Console.WriteLine($"{Path.GetFileName(args[0])}: {Property("architecture")} width {Property("width")}, {input.Key} [batch, {channels}, H, W] -> " +
                  $"{session.OutputMetadata.Keys.Single()} ({Property("feature_dim")}), images at {Size} px, mean {Property("mean")}, std {Property("std")}");

var gallery = new List<(string Name, string Photo, float[] Features)>();
foreach (var path in args[1..])
{
    using var photo = SKBitmap.Decode(path) ?? throw new InvalidDataException($"cannot decode {path}");
    foreach (var (view, bitmap) in Views(photo))
        using (bitmap)
            gallery.Add(($"{Path.GetFileName(path)} ({view})", path, Embed(bitmap)));
}

int sameTop1 = 0;
foreach (var query in gallery)
{
    var ranking = gallery.Where(g => g != query)
                         .Select(g => (g.Name, g.Photo, Score: Dot(query.Features, g.Features)))
                         .OrderByDescending(r => r.Score).ToList();
    if (ranking[0].Photo == query.Photo) sameTop1++;
    Console.WriteLine($"{query.Name,-31} -> " + string.Join("  ", ranking.Take(3).Select(r => $"{r.Name} {r.Score:F3}")));
}
Console.WriteLine($"nearest neighbour from the same photo: {sameTop1}/{gallery.Count}");
return 0;

IEnumerable<(string, SKBitmap)> Views(SKBitmap photo)
{
    int side = Math.Min(photo.Width, photo.Height) * 6 / 10;
    var crop = new SKRectI((photo.Width - side) / 2, (photo.Height - side) / 2, (photo.Width + side) / 2, (photo.Height + side) / 2);
    yield return ("full", Draw(photo, new SKRectI(0, 0, photo.Width, photo.Height), mirror: false));
    yield return ("crop", Draw(photo, crop, mirror: false));
    yield return ("mirror", Draw(photo, new SKRectI(0, 0, photo.Width, photo.Height), mirror: true));
    yield return ("mirror crop", Draw(photo, crop, mirror: true));
}

// The region resized to Size × Size (aspect not kept: the backbone sees the whole view).
SKBitmap Draw(SKBitmap photo, SKRectI region, bool mirror)
{
    var bitmap = new SKBitmap(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul);
    using var canvas = new SKCanvas(bitmap);
    if (mirror) canvas.Scale(-1, 1, Size / 2f, 0);
    using var image = SKImage.FromBitmap(photo);
    canvas.DrawImage(image, region, new SKRect(0, 0, Size, Size), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    return bitmap;
}

// Normalised as in training; features L2-normalised so a dot product is the cosine.
float[] Embed(SKBitmap bitmap)
{
    var pixels = new float[channels * Size * Size];
    for (int y = 0; y < Size; y++)
        for (int x = 0; x < Size; x++)
        {
            var c = bitmap.GetPixel(x, y);
            float[] rgb = [c.Red / 255f, c.Green / 255f, c.Blue / 255f];
            if (channels == 1) pixels[y * Size + x] = (0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2] - mean[0]) / std[0];
            else for (int k = 0; k < 3; k++) pixels[(k * Size + y) * Size + x] = (rgb[k] - mean[k]) / std[k];
        }
    using var value = OrtValue.CreateTensorValueFromMemory(pixels, [1, channels, Size, Size]);
    using var results = session.Run(new RunOptions(), [input.Key], [value], [session.OutputMetadata.Keys.Single()]);
    var features = results[0].GetTensorDataAsSpan<float>().ToArray();
    float norm = MathF.Sqrt(features.Sum(f => f * f));
    return features.Select(f => f / norm).ToArray();
}

static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();
