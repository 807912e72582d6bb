namespace BarlowTwins.Augment;

/// <summary>
/// The two asymmetric views of Barlow Twins, their output size and normalisation. Presets are
/// data: <see cref="ImageNet"/> is the paper's table; <see cref="Cifar"/> and
/// <see cref="FashionMnist"/> adapt it to 32 px colour and 28 px grey images (see each for why).
/// </summary>
/// <param name="A">View A (blur always, never solarized, in the paper).</param>
/// <param name="B">View B (blur rarely, sometimes solarized, in the paper).</param>
/// <param name="Size">Output height and width in pixels.</param>
/// <param name="Normalization">Output channels (3 colour, 1 grey), per-channel mean and std.</param>
public sealed record TwoViewRecipe(ViewRecipe A, ViewRecipe B, int Size, Normalization Normalization)
{
    /// <summary>Multi-crop's small views besides A and B (an option beyond the paper); null in every preset.</summary>
    public LocalViews? Locals { get; init; }

    /// <summary>Output channels: 3 (colour) or 1 (grey).</summary>
    public int Channels => Normalization.Channels;

    /// <summary>ImageNet mean (R, G, B).</summary>
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet standard deviation (R, G, B).</summary>
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// Side of the square Gaussian kernel: the smallest odd number ≥ 10 % of the image side
    /// (23 at 224 px, SimCLR's and BYOL's rule). At 224 px its radius of 11 px covers 5.5 σ at the
    /// largest σ = 2, so truncation changes the result by less than 1e-6.
    /// </summary>
    public int BlurKernelSize => BlurKernelFor(Size);

    /// <summary>The blur kernel side for images of <paramref name="size"/> px (see <see cref="BlurKernelSize"/>).</summary>
    public static int BlurKernelFor(int size) => OddAtLeast(size / 10.0);

    /// <summary>The paper's table: 224 px, ImageNet normalisation.</summary>
    public static TwoViewRecipe ImageNet { get; } = new(
        PaperView(blur: 1.0, solarize: 0.0),
        PaperView(blur: 0.1, solarize: 0.2),
        224, new Normalization(3, ImageNetMean, ImageNetStd));

    /// <summary>
    /// 32 px colour (CIFAR-10/100). Crop scale (0.08, 1), the paper's jitter and greyscale, no
    /// blur and solarize 0 / 0.2: exactly solo-learn's Barlow Twins CIFAR recipe
    /// (scripts/pretrain/cifar/barlow.yaml → augmentations/asymmetric.yaml: crop_size 32,
    /// crop_min_scale 0.08, gaussian_blur prob 0 in both views, solarization prob 0 and 0.2),
    /// whose linear probe reaches 92.1 % on CIFAR-10. lightly's CIFAR-10 examples also switch blur
    /// off at 32 px (BYOLView1/2Transform(input_size=32, gaussian_blur=0.0)). A blur of σ up to
    /// 2 px on a 32 px image erases most of the object. Mean and std: CIFAR-10 training set.
    /// </summary>
    public static TwoViewRecipe Cifar { get; } = new(
        PaperView(blur: 0.0, solarize: 0.0),
        PaperView(blur: 0.0, solarize: 0.2),
        32, new Normalization(3, [0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]));

    /// <summary>
    /// 28 px grey (Fashion-MNIST). Saturation, hue and greyscale do nothing on one channel, so
    /// jitter is brightness and contrast only. No blur, as at 32 px. Crop scale (0.2, 1) instead
    /// of (0.08, 1): at 28 px an 8 % crop is 8 × 8 pixels of a silhouette whose class lives in its
    /// outline (sleeve, heel, strap), and 0.2 is the lower bound MoCo v2 and SimSiam use on small
    /// images. Solarize 0 / 0.2 keeps the views asymmetric (inverting a grey garment on black is a
    /// meaningful distortion). Mean and std: the Fashion-MNIST training-set statistics.
    /// </summary>
    public static TwoViewRecipe FashionMnist { get; } = new(
        PaperView(blur: 0.0, solarize: 0.0) with { CropScale = new(0.2, 1), Saturation = 0, Hue = 0, GrayscaleProbability = 0 },
        PaperView(blur: 0.0, solarize: 0.2) with { CropScale = new(0.2, 1), Saturation = 0, Hue = 0, GrayscaleProbability = 0 },
        28, new Normalization(1, [0.2860f], [0.3530f]));

    /// <summary>The presets by name: imagenet, cifar, fashion-mnist.</summary>
    public static IReadOnlyDictionary<string, TwoViewRecipe> Presets { get; } = new Dictionary<string, TwoViewRecipe>
    {
        ["imagenet"] = ImageNet,
        ["cifar"] = Cifar,
        ["fashion-mnist"] = FashionMnist,
    };

    /// <summary>The preset called <paramref name="name"/>, or a clear error listing the known ones.</summary>
    public static TwoViewRecipe Preset(string name) =>
        Presets.TryGetValue(name, out var recipe)
            ? recipe
            : throw new ArgumentException($"unknown augmentation preset '{name}'; known: {string.Join(", ", Presets.Keys)}", nameof(name));

    /// <summary>
    /// Every view's colour-jitter ranges multiplied by <paramref name="strength"/>
    /// (<see cref="ViewRecipe.WithJitterStrength"/>): A, B and multi-crop's small views. An option
    /// beyond the paper; 1 returns an equal recipe.
    /// </summary>
    public TwoViewRecipe WithJitterStrength(double strength) => this with
    {
        A = A.WithJitterStrength(strength),
        B = B.WithJitterStrength(strength),
        Locals = Locals is null ? null : Locals with { View = Locals.View.WithJitterStrength(strength) },
    };

    /// <summary>
    /// Both global views' crop-area range set to <paramref name="scale"/> (multi-crop's small views
    /// keep theirs); null returns this recipe.
    /// </summary>
    public TwoViewRecipe WithCropScale(Interval? scale) =>
        scale is { } s ? this with { A = A with { CropScale = s }, B = B with { CropScale = s } } : this;

    /// <summary>
    /// Both global views' Gaussian-blur probabilities set to <paramref name="blur"/>, an option
    /// beyond the small-image presets (which switch blur off); null returns this recipe.
    /// </summary>
    public TwoViewRecipe WithBlur(ViewProbabilities? blur) =>
        blur is { } p ? this with { A = A with { BlurProbability = p.A }, B = B with { BlurProbability = p.B } } : this;

    /// <summary>Both global views' solarization probabilities set to <paramref name="solarize"/>; null returns this recipe.</summary>
    public TwoViewRecipe WithSolarize(ViewProbabilities? solarize) =>
        solarize is { } p ? this with { A = A with { SolarizeProbability = p.A }, B = B with { SolarizeProbability = p.B } } : this;

    /// <summary>
    /// The recipe as pre-training and <c>barlow preview</c> adjust it: jitter ranges × <paramref name="jitterStrength"/>,
    /// then the global views' crop range, blur and solarization replaced where given. Multi-crop's
    /// small views, built from view B afterwards, inherit view B's.
    /// </summary>
    public TwoViewRecipe Adjusted(double jitterStrength, Interval? cropScale, ViewProbabilities? blur, ViewProbabilities? solarize) =>
        WithJitterStrength(jitterStrength).WithCropScale(cropScale).WithBlur(blur).WithSolarize(solarize);

    /// <summary>Throws a clear error for anything a transform cannot run with.</summary>
    public void Validate()
    {
        A.Validate();
        B.Validate();
        Locals?.Validate();
        if (Size <= 0) throw new ArgumentOutOfRangeException(nameof(Size), Size, "Size must be positive");
    }

    private static ViewRecipe PaperView(double blur, double solarize) => new(
        CropScale: new(0.08, 1.0),
        CropRatio: new(3.0 / 4.0, 4.0 / 3.0),
        FlipProbability: 0.5,
        JitterProbability: 0.8,
        Brightness: 0.4,
        Contrast: 0.4,
        Saturation: 0.2,
        Hue: 0.1,
        GrayscaleProbability: 0.2,
        BlurProbability: blur,
        BlurSigma: new(0.1, 2.0),
        SolarizeProbability: solarize);

    private static int OddAtLeast(double value)
    {
        int n = (int)Math.Ceiling(value);
        return n % 2 == 1 ? n : n + 1;
    }
}
