using BarlowTwins.Interop;
using BarlowTwins.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Distributed;

/// <summary>
/// Two MPI ranks, each with half of a global batch, end three LARS steps with the parameters a
/// single process reaches on the whole batch: the global loss, its gradient (summed, not
/// averaged, over ranks) and the broadcast of rank 0's initial weights are all exact.
/// </summary>
public class DistributedTrainingTests(DistributedHostRuns runs, ITestOutputHelper output) : IClassFixture<DistributedHostRuns>
{
    // float32 sums taken in a different order (per rank, then across ranks); for the parameters,
    // carried through 3 steps.
    private const double GradientTolerance = 1e-5; // max |Δ| / max |reference|, first step
    private const double ParameterTolerance = 1e-5; // after 3 steps
    private const double UpdateTolerance = 1e-5; // the change of 5 steps, relative to its largest entry

    [Theory]
    [InlineData("eval")]  // equals the plain single-process step on the global batch
    [InlineData("train")] // equals a single process normalising each half by its own statistics
    [InlineData("sync")]  // SyncBatchNorm: equals the plain single-process step with training-mode batch-norm
    public void DistributedTrainingMatchesSingleProcess(string mode)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        double gradients = Difference(mode, "grads", GradientTolerance);
        double parameters = Difference(mode, "params", ParameterTolerance);
        output.WriteLine($"{mode}: max relative difference: first gradient {gradients:E2}, parameters after 3 steps {parameters:E2}");
        output.WriteLine("losses, one process: " + string.Join(", ", File.ReadAllLines(Path.Combine(runs.SingleProcess, $"{mode}.log"))));
        output.WriteLine("losses, two ranks:   " + string.Join(", ", File.ReadAllLines(Path.Combine(runs.TwoRanks, $"{mode}.log"))));
    }

    // The real Pretrainer (loader, augmentations, LARS schedule, checkpoint, resume) on two ranks
    // against one process in micro-batches of 4 = batch / ranks (training-mode batch-norm: the same
    // objective). Besides the parameters, the change they went through in 5 steps must agree, so a
    // gradient that is wrong but small next to the weights cannot pass.
    [Fact]
    public void DistributedPretrainerMatchesSingleProcessMicroBatches()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        double parameters = Difference("pretrain", "params", ParameterTolerance);
        var initial = Npy.Load(Path.Combine(runs.SingleProcess, "pretrain.initial.npy"));
        var expected = Npy.Load(Path.Combine(runs.SingleProcess, "pretrain.params.npy")) - initial;
        var actual = Npy.Load(Path.Combine(runs.TwoRanks, "pretrain.params.npy")) - initial;
        double updates = Compare.RelativeMax(actual, expected);
        output.WriteLine($"pretrain: max relative difference after 5 steps (3 + resumed 2): parameters {parameters:E2}, " +
                         $"parameter change {updates:E2} (largest change {expected.abs().max().item<float>():E2})");
        Assert.True(updates < UpdateTolerance, $"the parameter change differs by {updates:E2} (relative)");
    }

    [Fact]
    public void DistributedCheckFindsTheSummedGradientExact()
    {
        var numbers = File.ReadAllText(Path.Combine(runs.TwoRanks, "check.log")).Split(' ').Select(double.Parse).ToArray();
        output.WriteLine($"DataParallelCheck on 2 ranks: gradient {numbers[0]:E2} relative, replicas differ by {numbers[1]:E2}");
        Assert.True(numbers[0] < GradientTolerance, $"gradient differs by {numbers[0]:E2}");
        Assert.Equal(0, numbers[1]);
    }

    private double Difference(string mode, string what, double tolerance)
    {
        var expected = Npy.Load(Path.Combine(runs.SingleProcess, $"{mode}.{what}.npy"));
        var actual = Npy.Load(Path.Combine(runs.TwoRanks, $"{mode}.{what}.npy"));
        double relative = Compare.RelativeMax(actual, expected);
        output.WriteLine($"{mode} {what}: max |Δ| {Compare.AbsoluteMax(actual, expected):E2}, max |reference| {expected.abs().max().item<float>():E2}");
        Assert.True(relative < tolerance, $"{mode} {what} differ by {relative:E2} (relative)");
        return relative;
    }
}
