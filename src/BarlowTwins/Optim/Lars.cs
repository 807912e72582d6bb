using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BarlowTwins.Optim;

/// <summary>LARS hyper-parameters; defaults are the paper's.</summary>
/// <param name="WeightDecay">Applied to weights only.</param>
/// <param name="Momentum">Heavy-ball momentum, no dampening, no Nesterov.</param>
/// <param name="Eta">Trust coefficient η.</param>
public sealed record LarsOptions(double WeightDecay = 1.5e-6, double Momentum = 0.9, double Eta = 0.001);

/// <summary>
/// LARS as the authors run it (You et al. 2017, without ε). For each weight w with gradient g:
/// <code>
///   g ← g + wd·w
///   q = η‖w‖/‖g‖   (1 when either norm is 0)
///   m ← momentum·m + q·g
///   w ← w − lr·m
/// </code>
/// Biases and BN parameters (one dimension) get neither weight decay nor the trust ratio.
/// </summary>
public sealed class Lars : IOptimizer
{
    private readonly ParameterGroups _groups;
    private readonly LarsOptions _options;
    private readonly Dictionary<Parameter, Tensor> _momentum = new(ReferenceEqualityComparer.Instance);
    private double _weightRate, _biasRate;

    /// <summary>An optimizer over the given parameter groups.</summary>
    public Lars(ParameterGroups groups, LarsOptions? options = null)
    {
        _groups = groups;
        _options = options ?? new LarsOptions();
    }

    /// <inheritdoc />
    public void SetLearningRates(double weights, double biases) => (_weightRate, _biasRate) = (weights, biases);

    /// <inheritdoc />
    public void Step()
    {
        using var _ = no_grad();
        foreach (var p in _groups.Weights) Update(p, _weightRate, adapt: true);
        foreach (var p in _groups.Biases) Update(p, _biasRate, adapt: false);
    }

    private void Update(Parameter p, double lr, bool adapt)
    {
        var grad = p.grad;
        if (grad is null) return;
        using var scope = NewDisposeScope();
        var mu = Momentum(p).mul_(_options.Momentum);
        if (adapt)
        {
            // One temporary the size of p (not two): the trust ratio scales the update inside
            // addcmul_. For the 8192² projector layers every full-size pass and allocation counts.
            var update = grad.add(p, alpha: _options.WeightDecay);
            var weightNorm = linalg.vector_norm(p);
            var updateNorm = linalg.vector_norm(update);
            var trust = where(weightNorm.gt(0).logical_and(updateNorm.gt(0)),
                              weightNorm.mul(_options.Eta).div(updateNorm), ones_like(weightNorm));
            mu.addcmul_(update, trust, 1);
        }
        else mu.add_(grad);
        p.add_(mu, alpha: -lr);
    }

    private Tensor Momentum(Parameter p)
    {
        if (_momentum.TryGetValue(p, out var mu)) return mu;
        mu = zeros_like(p).DetachFromDisposeScope();
        _momentum[p] = mu;
        return mu;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Drops the gradients rather than filling them with zeros: the next backward pass then hands
    /// each parameter the gradient it computed, where a zeroed one costs a fill and an add pass.
    /// </remarks>
    public void ZeroGrad()
    {
        foreach (var p in _groups.All) p.grad = null;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> State()
    {
        var state = new Dictionary<string, Tensor>();
        int i = 0;
        foreach (var p in _groups.All)
        {
            if (_momentum.TryGetValue(p, out var mu)) state[$"momentum.{i}"] = mu;
            i++;
        }
        return state;
    }

    /// <inheritdoc />
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        int i = 0;
        foreach (var p in _groups.All)
        {
            if (state.TryGetValue($"momentum.{i}", out var saved))
            {
                if (!saved.shape.SequenceEqual(p.shape))
                    throw new InvalidDataException($"Optimizer state momentum.{i} has shape [{string.Join(",", saved.shape)}], parameter has [{string.Join(",", p.shape)}].");
                if (_momentum.TryGetValue(p, out var old)) old.Dispose();
                _momentum[p] = saved.to(p.dtype, p.device).clone().DetachFromDisposeScope();
            }
            i++;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var mu in _momentum.Values) mu.Dispose();
        _momentum.Clear();
    }
}
