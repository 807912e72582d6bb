using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Models;

/// <summary>
/// The projector g: (Linear without bias → BatchNorm1d → ReLU) for every width but the last,
/// then a Linear without bias. Children are named "0", "1", … as in the authors' nn.Sequential.
/// </summary>
public sealed class Projector : Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>The widths this projector was built with.</summary>
    public ProjectorSpec Spec { get; }

    /// <summary>Builds a projector from <paramref name="inputDim"/> features.</summary>
    public Projector(int inputDim, ProjectorSpec spec) : base(nameof(Projector))
    {
        Spec = spec;
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        int width = inputDim;
        for (int i = 0; i < spec.Widths.Count; i++)
        {
            modules.Add((modules.Count.ToString(), Linear(width, spec.Widths[i], hasBias: false)));
            width = spec.Widths[i];
            if (i == spec.Widths.Count - 1) break;
            modules.Add((modules.Count.ToString(), BatchNorm1d(width)));
            modules.Add((modules.Count.ToString(), ReLU(inplace: true)));
        }
        layers = Sequential(modules);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor features) => layers.forward(features);

    // Keys read "projector.0.weight", not "projector.layers.0.weight", like the authors' state dict.
    /// <inheritdoc />
    protected override void RegisterComponents()
    {
        if (_registered) return; // TorchSharp calls this again whenever a parent registers us
        foreach (var (name, child) in layers.named_children()) register_module(name, child);
        _registered = true;
    }

    private bool _registered;
}
