namespace BarlowTwins.Training;

/// <summary>An evaluation run on the backbone between epochs (the k-NN monitor).</summary>
public interface IBackboneMonitor
{
    /// <summary>Top-1 accuracy of <paramref name="backbone"/> in percent (the caller puts it back in training mode).</summary>
    double Evaluate(Models.ResNet backbone);
}
