using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Models;

/// <summary>
/// The twin: backbone f then projector g, with shared weights for both views. Each view goes
/// through as its own batch, so batch-norm statistics are per view, as in the authors' code.
/// </summary>
public sealed class TwinNetwork : Module<Tensor, Tensor>
{
    private readonly ResNet backbone;
    private readonly Projector projector;

    /// <summary>The backbone f (kept after training).</summary>
    public ResNet Backbone => backbone;

    /// <summary>The projector g (discarded after training).</summary>
    public Projector Projector => projector;

    /// <summary>Joins a backbone and a projector built for its features.</summary>
    public TwinNetwork(ResNet backbone, ProjectorSpec projectorSpec) : base(nameof(TwinNetwork))
    {
        this.backbone = backbone;
        projector = new Projector(backbone.FeatureDim, projectorSpec);
        RegisterComponents();
    }

    /// <summary>Embeddings z = g(f(x)) of one view.</summary>
    public override Tensor forward(Tensor view)
    {
        using var scope = NewDisposeScope();
        return projector.forward(backbone.forward(view)).MoveToOuterDisposeScope();
    }

    /// <summary>Embeddings of both views, each run as its own batch.</summary>
    public (Tensor ZA, Tensor ZB) Embed(Tensor viewA, Tensor viewB) => (forward(viewA), forward(viewB));
}
