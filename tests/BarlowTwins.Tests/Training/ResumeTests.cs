using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class ResumeTests : TempFolderTest
{
    // On CPU the same ops in the same order give the same bits, so "continues exactly" means
    // bit-identical weights, buffers (BN running statistics) included: tolerance zero.
    [Theory]
    [InlineData("lars", false)]
    [InlineData("sgd", false)]
    [InlineData("adamw", false)]
    [InlineData("lars", true)]
    public void TwoEpochsStraightEqualOneEpochResumeOneEpoch(string optimizer, bool bf16)
    {
        var straight = TinyRun.Options(Path.Combine(Folder, "straight")) with { Optimizer = optimizer, Precision = bf16 ? Precisions.BFloat16 : Precisions.Float32 };
        var split = straight with { Out = Path.Combine(Folder, "split") };

        using var reference = Train(straight);
        Assert.Equal(2 * TinyRun.StepsPerEpoch, reference.Progress.GlobalStep);

        using (var first = Train(split with { MaxSteps = TinyRun.StepsPerEpoch }))
            Assert.Equal(TinyRun.StepsPerEpoch, first.Progress.GlobalStep);
        using var resumed = Train(split);

        Assert.True(resumed.Resumed);
        Assert.Equal(reference.Progress.GlobalStep, resumed.Progress.GlobalStep);
        var expected = reference.Twin.state_dict();
        var actual = resumed.Twin.state_dict();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.equal(actual[name]).all().item<bool>(), $"{name} differs after resume");
        Assert.False(expected["backbone.conv1.weight"].equal(InitialConv(straight)).all().item<bool>(), "training changed nothing");
    }

    private static Pretrainer Train(PretrainOptions options)
    {
        var trainer = new Pretrainer(options, TinyRun.Data(), []);
        trainer.Run();
        return trainer;
    }

    private static Tensor InitialConv(PretrainOptions options)
    {
        using var trainer = new Pretrainer(options with { Out = options.Out + "-fresh" }, TinyRun.Data(), []);
        return trainer.Twin.state_dict()["backbone.conv1.weight"].clone();
    }

    [Fact]
    public void ResumingWithDifferentOptionsIsRefused()
    {
        var options = TinyRun.Options(Path.Combine(Folder, "run")) with { MaxSteps = 1 };
        using (var first = new Pretrainer(options, TinyRun.Data(), [])) first.Run();
        var error = Assert.Throws<ArgumentException>(() => new Pretrainer(options with { BatchSize = 4 }, TinyRun.Data(), []));
        Assert.Contains("batch-size", error.Message);
    }
}
