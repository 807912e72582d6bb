using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Models;
using BarlowTwins.Training;
using BarlowTwins.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>
/// A frozen backbone run for features at inference cost: eval mode, torch's inference mode (no
/// autograd bookkeeping at all) and the precision chosen for it. bf16 works like autocast: a
/// bfloat16 copy of the backbone takes the images in bfloat16 and its features come back in
/// float32. The caller's float32 backbone is never changed; fp32 runs it exactly as before.
/// </summary>
public sealed class FeatureNetwork : IDisposable
{
    private readonly Module<Tensor, Tensor>? _bfloat16;

    /// <summary>The float32 backbone this runs (the one a <see cref="BackboneGuard"/> watches).</summary>
    public Module<Tensor, Tensor> Backbone { get; }

    /// <summary><see cref="Precisions.Float32"/> or <see cref="Precisions.BFloat16"/>.</summary>
    public string Precision => Choice.Precision;

    /// <summary>The precision this runs in and how it was chosen (<see cref="Open"/>; by the constructor, asked for).</summary>
    public PrecisionChoice Choice { get; private set; }

    /// <summary>Runs <paramref name="backbone"/> in <paramref name="precision"/> (fp32 or bf16, not auto).</summary>
    public FeatureNetwork(Module<Tensor, Tensor> backbone, string precision)
    {
        Precisions.DType(precision); // refuses auto and unknown names
        Backbone = backbone;
        Choice = new PrecisionChoice(precision, PrecisionChoice.AskedFor);
        _bfloat16 = precision == Precisions.BFloat16 ? BFloat16Copy(backbone) : null;
    }

    /// <summary>
    /// Features (N × D, float32) of <paramref name="images"/> (float32, N × C × H × W). They are
    /// ordinary tensors, not inference tensors, so a classifier can train on them.
    /// </summary>
    public Tensor Forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        Tensor features;
        using (EvalMode(Backbone))
        using (inference_mode())
            features = Run(images);
        // The copy is made outside inference mode, which is what makes it an ordinary tensor.
        return features.to_type(ScalarType.Float32, copy: true).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Eval and inference mode until the result is disposed, for many <see cref="InferenceFeatures"/>
    /// calls: a whole extraction switches modes once, not once per batch.
    /// </summary>
    internal IDisposable Inference()
    {
        var eval = EvalMode(Backbone);
        var inference = inference_mode();
        return new Restore(() =>
        {
            inference.Dispose();
            eval.Dispose();
        });
    }

    /// <summary>
    /// Features (N × D, float32) of <paramref name="images"/>, inside <see cref="Inference"/>. They are
    /// inference tensors, made without a copy when the network computes in float32 (the bits of
    /// <see cref="Forward"/>); an op outside inference mode, such as the cat that joins a split's
    /// batches, turns them into an ordinary tensor.
    /// </summary>
    internal Tensor InferenceFeatures(Tensor images) => Run(images).to_type(ScalarType.Float32).flatten(1);

    private Tensor Run(Tensor images) =>
        _bfloat16 is null ? Backbone.forward(images) : _bfloat16.forward(images.to_type(ScalarType.BFloat16));

    /// <summary>How the precision of a network without weights was chosen.</summary>
    public const string NoWeights = "no weights to run in bf16";

    /// <summary>How the precision of a network this class cannot copy to bf16 (not a ResNet) was chosen.</summary>
    public const string NoBFloat16Copy = "bf16 copies only a ResNet";

    /// <summary>
    /// <paramref name="backbone"/> run in <paramref name="precision"/>. A name is taken as given;
    /// <see cref="Precisions.Auto"/> times the forward pass of the first batch of
    /// <paramref name="source"/> (the run's own shapes) in each precision with
    /// <see cref="PrecisionProbe.Choose"/>, the rule pre-training chooses by, and keeps the network
    /// it timed in the faster one: the bf16 copy is built once. A network without weights (raw
    /// pixels) has nothing to gain from bf16 and stays fp32, as does one this class cannot copy.
    /// </summary>
    public static FeatureNetwork Open(Module<Tensor, Tensor> backbone, string precision, IImageSource source,
                                      IBatchTransform<LabelledBatch> transform, int batchSize, Device device)
    {
        if (precision != Precisions.Auto) return new FeatureNetwork(backbone, precision);
        if (!backbone.parameters().Any()) return Float32(backbone, new PrecisionChoice(Precisions.Float32, NoWeights));
        if (backbone is not (ResNet or ChannelAdapter)) return Float32(backbone, new PrecisionChoice(Precisions.Float32, NoBFloat16Copy));
        using var batch = SourceBatches.Read(source, transform, batchSize).First();
        using var images = batch.Images.to(device);
        var float32 = new FeatureNetwork(backbone, Precisions.Float32);
        var bfloat16 = new FeatureNetwork(backbone, Precisions.BFloat16);
        try
        {
            var choice = PrecisionProbe.Choose(() => float32.Forward(images).Dispose(), () => bfloat16.Forward(images).Dispose(),
                                               (int)images.shape[0]);
            var (kept, dropped) = choice.Precision == Precisions.BFloat16 ? (bfloat16, float32) : (float32, bfloat16);
            dropped.Dispose();
            kept.Choice = choice;
            return kept;
        }
        catch
        {
            bfloat16.Dispose();
            throw;
        }
    }

    private static FeatureNetwork Float32(Module<Tensor, Tensor> backbone, PrecisionChoice choice) =>
        new(backbone, Precisions.Float32) { Choice = choice };

    /// <summary>Puts <paramref name="module"/> in eval mode until the result is disposed.</summary>
    internal static IDisposable EvalMode(Module module)
    {
        bool wasTraining = module.training;
        module.eval();
        return new Restore(() => module.train(wasTraining));
    }

    // A ResNet, or a ResNet behind a channel adapter: what EvalBackbone, Embeddings and the
    // monitors run. The copy is built with torch's generator saved and restored, so extracting
    // features in bf16 draws nothing a pre-training run (its k-NN monitor) would see.
    private static Module<Tensor, Tensor> BFloat16Copy(Module<Tensor, Tensor> backbone)
    {
        var resnet = backbone switch
        {
            ResNet r => r,
            ChannelAdapter a => a.Backbone,
            _ => throw new ArgumentException($"bf16 features need a ResNet, not a {backbone.GetType().Name}: use fp32 ({NoBFloat16Copy})."),
        };
        using var generator = get_rng_state();
        var copy = new ResNet(resnet.Options);
        set_rng_state(generator);
        copy.load_state_dict(resnet.state_dict());
        copy.to(ScalarType.BFloat16).to(resnet.parameters().First().device).eval();
        return backbone is ChannelAdapter adapter ? adapter.With(copy) : copy;
    }

    /// <inheritdoc />
    public void Dispose() => _bfloat16?.Dispose();

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
