namespace BarlowTwins.Tests.Training;

/// <summary>
/// Tests that seed torch's process-wide generator and compare runs bit for bit. xunit runs test
/// classes in parallel, and another class drawing from the same generator between our
/// <c>manual_seed</c> and the network's initialisation would change the weights; this collection
/// runs alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchRandom
{
    public const string Name = "serial torch random";
}
