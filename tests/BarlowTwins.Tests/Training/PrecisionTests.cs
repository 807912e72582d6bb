using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Output;
using BarlowTwins.Training.Precision;

namespace BarlowTwins.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class PrecisionTests : TempFolderTest
{
    // The probe builds networks of its own and draws from torch's generator; none of it may reach
    // the run. Half the run chooses by measuring, the other half resumes with "auto" again: the
    // whole must be the bits of a straight run told the chosen precision by name.
    [Fact]
    public void AutoRunAndItsResumeEqualTheRunToldTheChosenPrecision()
    {
        var auto = TinyRun.Options(Path.Combine(Folder, "auto")) with { Precision = Precisions.Auto };
        string chosen;
        using (var first = Train(auto with { MaxSteps = TinyRun.StepsPerEpoch }))
        {
            Assert.True(first.Precision.Measured, "auto did not measure");
            Assert.Equal(PrecisionChoice.MeasuredHow, first.Precision.How);
            chosen = first.Precision.Precision;
        }
        Assert.Equal(chosen, PretrainOptionsJson.Load(new RunFolder(auto.Out).Config).Precision);
        Assert.Contains($"\"precision\":\"{chosen}\"", File.ReadAllText(new RunFolder(auto.Out).Metrics));

        using var resumed = Train(auto);
        Assert.True(resumed.Resumed);
        Assert.Equal((chosen, PrecisionChoice.Recorded), (resumed.Precision.Precision, resumed.Precision.How));

        using var told = Train(auto with { Out = Path.Combine(Folder, "told"), Precision = chosen });
        Assert.Equal(PrecisionChoice.AskedFor, told.Precision.How);
        var expected = told.Twin.state_dict();
        foreach (var (name, tensor) in resumed.Twin.state_dict())
            Assert.True(tensor.equal(expected[name]).all().item<bool>(), $"{name} differs from the run told {chosen}");
    }

    [Fact]
    public void ResumingWithAnotherPrecisionByNameIsRefused()
    {
        var options = TinyRun.Options(Path.Combine(Folder, "run")) with { MaxSteps = 1, Precision = Precisions.Float32 };
        using (var first = Train(options)) { }
        var error = Assert.Throws<ArgumentException>(() => new Pretrainer(options with { Precision = Precisions.BFloat16 }, TinyRun.Data(), []));
        Assert.Contains("precision", error.Message);
    }

    [Fact]
    public void BFloat16IsChosenOnlyWhenClearlyFaster()
    {
        Assert.Equal(Precisions.BFloat16, PrecisionProbe.Faster(float32Seconds: 2.0, bfloat16Seconds: 1.0));
        Assert.Equal(Precisions.Float32, PrecisionProbe.Faster(float32Seconds: 1.05, bfloat16Seconds: 1.0));
        Assert.Equal(Precisions.Float32, PrecisionProbe.Faster(float32Seconds: 1.0, bfloat16Seconds: 2.0));
    }

    [Fact]
    public void ProbeTimesSmallRunsOnTheirOwnBatchAndLargeOnesOnFewerImages()
    {
        Assert.Equal(128, PrecisionProbe.ProbeImages(PretrainPresets.FashionMnist, PretrainPresets.FashionMnist.BatchSize));
        Assert.Equal(32, PrecisionProbe.ProbeImages(PretrainPresets.Cifar, PretrainPresets.Cifar.BatchSize));
        Assert.Equal(2, PrecisionProbe.ProbeImages(PretrainPresets.ImageNet, PretrainPresets.ImageNet.BatchSize));
        Assert.Equal(8, PrecisionProbe.ProbeImages(TinyRun.Options("unused"), 8));
        Assert.Equal(111, PrecisionProbe.ProbeImages(PretrainPresets.FashionMnist with { LocalCrops = 4, LocalSize = 14 }, 128));
    }

    [Fact]
    public void ProbeRunsTheRunsMultiCropViews()
    {
        var choice = PrecisionProbe.ForTraining(TinyRun.Options("unused") with { LocalCrops = 2, LocalSize = 4 }, TinyRun.Options("unused").BatchSize);
        Assert.True(choice.Measured && choice.Float32Seconds > 0 && choice.BFloat16Seconds > 0, choice.ToString());
    }

    [Fact]
    public void EveryPresetChoosesByMeasuring()
    {
        foreach (var (name, preset) in PretrainPresets.All) Assert.True(preset.Precision == Precisions.Auto, name);
    }

    [Theory]
    [InlineData("true", Precisions.BFloat16)]
    [InlineData("false", Precisions.Float32)]
    public void ConfigsWrittenBeforePrecisionReadAsWhatTheyComputed(string bf16, string precision)
    {
        var options = PretrainOptionsJson.Overlay(PretrainPresets.Cifar, $$"""{ "bf16": {{bf16}} }""");
        Assert.Equal(PretrainPresets.Cifar with { Precision = precision }, options);
    }

    [Fact]
    public void AutoResumesAsTheRecordedPrecisionAndAnUnknownOneIsNamed()
    {
        var saved = PretrainPresets.Cifar with { Precision = Precisions.BFloat16 };
        Assert.Empty(ResumeRules.Conflicts(saved, saved with { Precision = Precisions.Auto }));
        Assert.Equal(["precision"], ResumeRules.Conflicts(saved, saved with { Precision = Precisions.Float32 }).Select(c => c.Split(' ')[0]));
        var error = Assert.Throws<ArgumentException>(() => (saved with { Precision = "fp16" }).Validated());
        Assert.Contains("'fp16'", error.Message);
    }

    private static Pretrainer Train(PretrainOptions options)
    {
        using var metrics = new MetricsLog(options.Out);
        var trainer = new Pretrainer(options, TinyRun.Data(), [metrics]);
        trainer.Run();
        return trainer;
    }
}
