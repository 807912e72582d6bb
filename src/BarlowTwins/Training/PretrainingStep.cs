using BarlowTwins.Augment;
using BarlowTwins.Distributed;
using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Optim;
using BarlowTwins.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Training;

/// <summary>What one step did.</summary>
/// <param name="Loss">invariance + λ · redundancy.</param>
/// <param name="Invariance">Σ (1 − C_ii)².</param>
/// <param name="Redundancy">Σ_{i≠j} C_ij², before λ.</param>
/// <param name="GradientNorm">‖∇‖ over all parameters (float32).</param>
/// <param name="Skipped">True when the loss or a gradient was NaN/Inf and no update was applied.</param>
/// <param name="Diagnostics">Collapse diagnostics, when asked for.</param>
/// <param name="CorrelationBlock">The top-left block of C (row-major, side <see cref="BlockSide"/>), when asked for.</param>
/// <param name="BlockSide">Side of <see cref="CorrelationBlock"/>.</param>
public sealed record StepResult(double Loss, double Invariance, double Redundancy, double GradientNorm, bool Skipped,
                                CollapseDiagnostics? Diagnostics = null, float[]? CorrelationBlock = null, int BlockSide = 0);

/// <summary>
/// One Barlow Twins update: two views (and multi-crop's small views, when the batch has them) →
/// twin → loss (float32, <see cref="BarlowTwinsLoss.Forward"/>, or the global loss over the ranks of
/// a data-parallel run; averaged over the view pairs of <see cref="MultiCropLoss"/>) → backward, in micro-batches when asked
/// (<see cref="MicroBatchStep"/>) → gradients summed over ranks → NaN/Inf guard → optimizer at the
/// given rates. Every tensor it makes lives in a dispose scope of the step.
/// </summary>
public sealed class PretrainingStep : IDisposable
{
    /// <summary>Side of the block of C kept for heat maps.</summary>
    public const int HeatMapSide = 64;

    private readonly TwinNetwork _twin;
    private readonly ICollectives _collectives;
    private readonly StepLoss _loss;
    private readonly Func<Func<Tensor, Tensor, LossTerms>, IReadOnlyList<Tensor>, LossTerms> _viewsLoss;
    private readonly int _microBatch;
    private readonly IOptimizer _optimizer;
    private readonly BFloat16Shadow? _shadow;
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _buffers;
    private readonly bool _channelsLast;

    /// <summary>A step over <paramref name="twin"/> (float32 master weights).</summary>
    /// <param name="twin">The network the optimizer updates.</param>
    /// <param name="loss">The objective.</param>
    /// <param name="optimizer">An optimizer over <paramref name="twin"/>'s parameters.</param>
    /// <param name="bf16Twin">A freshly built twin of the same shape to run in bfloat16, or null for float32.</param>
    /// <param name="microBatch">Samples per forward pass with a graph (null: the whole batch at once).</param>
    /// <param name="collectives">The ranks sharing each global batch (null: this process alone).</param>
    /// <param name="channelsLast">Run the convolutions in channels-last (NHWC) memory layout: the step stores
    /// the twins' convolution weights that way and hands the views over that way (<see cref="ChannelsLast"/>).</param>
    /// <param name="viewPairing">Which views the loss pairs, one of <see cref="MultiCropLoss.Pairings"/>.</param>
    public PretrainingStep(TwinNetwork twin, BarlowTwinsLoss loss, IOptimizer optimizer, TwinNetwork? bf16Twin = null,
                           int? microBatch = null, ICollectives? collectives = null, bool channelsLast = false,
                           string viewPairing = MultiCropLoss.GlobalPairing)
    {
        _viewsLoss = MultiCropLoss.Of(viewPairing);
        _twin = twin;
        _collectives = collectives ?? new SingleProcess();
        _loss = StepLoss.For(_collectives, loss);
        _microBatch = microBatch ?? int.MaxValue;
        _optimizer = optimizer;
        _shadow = bf16Twin is null ? null : new BFloat16Shadow(twin, bf16Twin);
        _parameters = twin.parameters().Where(p => p.requires_grad).Select(p => (Tensor)p).ToArray();
        _buffers = twin.buffers().ToArray();
        _channelsLast = channelsLast;
        if (!channelsLast) return;
        ChannelsLast.Apply(twin);
        if (_shadow is not null) ChannelsLast.Apply(_shadow.Network);
    }

    private Tensor InLayout(Tensor images) => _channelsLast ? ChannelsLast.Of(images) : images;

    /// <summary>
    /// Runs one update on <paramref name="batch"/> at learning rates <paramref name="rates"/>, with the
    /// twin in the mode its owner set (training for pre-training; eval-mode batch-norm makes the
    /// micro-batched gradient exactly the one-shot gradient).
    /// </summary>
    public StepResult Run(TwoViewBatch batch, (double Weights, double Biases) rates, bool diagnose)
    {
        using var scope = NewDisposeScope();
        _optimizer.ZeroGrad();
        var savedBuffers = _shadow is null ? _buffers.Select(b => b.detach().clone()).ToArray() : [];
        _shadow?.PullWeights();
        var network = _shadow?.Network ?? _twin;
        var dtype = _shadow is null ? ScalarType.Float32 : ScalarType.BFloat16;
        var device = _parameters[0].device;
        var (terms, embeddings) = MicroBatchStep.RunWithEmbeddings(network, z => _viewsLoss(_loss.Forward, PerView(z, batch.LocalCount)),
                                                                   Inputs(batch, dtype, device), _microBatch);
        var (zA, zB) = (embeddings[0], embeddings[1]);
        _shadow?.PushGradients();
        _collectives.SumGradients(_twin.parameters());

        double gradientNorm = GradientNorm(_parameters);
        double lossValue = terms.Loss.item<float>();
        bool finite = double.IsFinite(lossValue) && double.IsFinite(gradientNorm);
        if (finite)
        {
            _shadow?.PushBuffers();
            _collectives.AverageBuffers(_twin);
            _optimizer.SetLearningRates(rates.Weights, rates.Biases);
            _optimizer.Step();
        }
        else RestoreBuffers(savedBuffers);

        var result = new StepResult(lossValue, terms.Invariance.item<float>(), terms.Redundancy.item<float>(), gradientNorm, !finite);
        if (!diagnose) return result;
        // The loss never materialises a differentiable C (see BlockedCorrelationTerms): build it
        // here, without a graph, only on the steps that report diagnostics (every rank calls this
        // on the same steps: on K ranks it is the global C).
        using var noGrad = no_grad();
        var c = _loss.CrossCorrelation(zA, zB);
        return result with
        {
            Diagnostics = CollapseDiagnostics.Measure(c, zA),
            CorrelationBlock = Block(c, out int side),
            BlockSide = side,
        };
    }

    /// <summary>
    /// The forward passes of a step: view A, view B and, with multi-crop, all small views as one
    /// batch of their own resolution.
    /// </summary>
    private Tensor[] Inputs(TwoViewBatch batch, ScalarType dtype, Device device)
    {
        var globals = new[] { batch.ViewA, batch.ViewB };
        var locals = batch.Locals is { } l ? new[] { l.flatten(0, 1) } : [];
        return globals.Concat(locals).Select(x => InLayout(x.to(dtype, device))).ToArray();
    }

    /// <summary>The passes' outputs as one embedding per view: zA, zB, then each small view's N rows.</summary>
    private static IReadOnlyList<Tensor> PerView(IReadOnlyList<Tensor> outputs, int localCount) =>
        localCount == 0 ? outputs : [outputs[0], outputs[1], .. outputs[2].chunk(localCount)];

    /// <summary>‖∇‖ over <paramref name="parameters"/>' gradients, in float32 (0 when none has one).</summary>
    internal static double GradientNorm(IEnumerable<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // ‖g‖² per tensor as a dot product: one pass, no squared copy of each gradient (docs/performance.md),
        // and accurate in float32 where vector_norm's running sum drifts over tens of millions of floats.
        var squares = parameters.Select(p => p.grad).OfType<Tensor>().Select(SquaredNorm).ToArray();
        return squares.Length == 0 ? 0 : Math.Sqrt(stack(squares).sum().item<float>());
    }

    private static Tensor SquaredNorm(Tensor gradient)
    {
        var flat = gradient.to_type(ScalarType.Float32).flatten();
        return flat.dot(flat);
    }

    private void RestoreBuffers(Tensor[] saved)
    {
        using var _ = no_grad();
        for (int i = 0; i < saved.Length; i++) _buffers[i].copy_(saved[i]);
    }

    private static float[] Block(Tensor c, out int side)
    {
        side = (int)Math.Min(c.shape[0], HeatMapSide);
        using var block = c.detach()[..side, ..side].to_type(ScalarType.Float32).cpu().contiguous();
        return block.data<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _shadow?.Dispose();
}
