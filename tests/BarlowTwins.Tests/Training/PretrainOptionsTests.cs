using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Training;

public sealed class PretrainOptionsTests
{
    [Fact]
    public void ImageNetPresetIsThePaper()
    {
        var o = PretrainPresets.Get("imagenet");
        Assert.Equal(("resnet50", 64, "8192-8192-8192", "0.0051", "lars"), (o.Backbone.Name, o.Width, o.Projector.ToString(), o.Lambda.ToString(), o.Optimizer));
        Assert.Equal((2048, 1000, 10.0, 224), (o.BatchSize, o.Epochs, o.WarmupEpochs, o.ImageSize));
        Assert.Equal((0.2, 0.0048, 1.5e-6, 0.9, 0.001), (o.WeightLr, o.BiasLr, o.WeightDecay, o.Momentum, o.Eta));
    }

    [Fact]
    public void EveryPresetIsValidOnceItsDataIsNamed()
    {
        foreach (var (name, preset) in PretrainPresets.All)
        {
            var named = preset with { Data = "synthetic" };
            Assert.True(named.Problems().Count == 0, $"{name}: {string.Join(" ", named.Problems())}");
        }
        Assert.Empty(PretrainPresets.FashionMnist.Problems());
        // The folder presets name no folder: they fail at start, before any data is opened.
        Assert.Contains("'imagenet'", Assert.Single(PretrainPresets.ImageNet.Problems()));
        Assert.Contains("cifar10:DIR", Assert.Single(PretrainPresets.Cifar.Problems()));
    }

    [Fact]
    public void JsonRoundTripsAndUsesFlagNames()
    {
        var options = PretrainPresets.FashionMnist with { MaxSteps = 12, Lambda = RedundancyWeight.Auto };
        string json = PretrainOptionsJson.Write(options);
        Assert.Contains("\"batch-size\": 128", json);
        Assert.Equal(options, PretrainOptionsJson.Read(json));
    }

    [Fact]
    public void ConfigFileChangesOnlyItsKeys()
    {
        var merged = PretrainOptionsJson.Overlay(PretrainPresets.Cifar, """{ "batch-size": 512, "lambda": "auto" }""");
        Assert.Equal(PretrainPresets.Cifar with { BatchSize = 512, Lambda = RedundancyWeight.Auto }, merged);
    }

    [Fact]
    public void TypedValuesAreParsedOnceWhenTheConfigIsRead()
    {
        var options = PretrainOptionsJson.Overlay(new PretrainOptions(), """{ "backbone": "r18", "projector": "64-32", "lambda": 0.02 }""");
        Assert.Equal((ResNetArchitecture.ResNet18, ProjectorSpec.Parse("64-32"), RedundancyWeight.Of(0.02)),
                     (options.Backbone, options.Projector, options.Lambda));
        Assert.Contains("\"lambda\": \"0.02\"", PretrainOptionsJson.Write(options));
        foreach (var bad in new[] { """{ "lambda": "lots" }""", """{ "projector": "64-x" }""", """{ "backbone": "vgg" }""" })
        {
            var error = Assert.Throws<FormatException>(() => PretrainOptionsJson.Overlay(new PretrainOptions(), bad, "my.json"));
            Assert.StartsWith("my.json: ", error.Message);
            Assert.DoesNotContain("\n", error.Message);
        }
    }

    [Fact]
    public void UnknownConfigKeyIsNamed()
    {
        var error = Assert.Throws<FormatException>(() => PretrainOptionsJson.Overlay(new PretrainOptions(), """{ "batchsize": 1 }""", "my.json"));
        Assert.Contains("my.json", error.Message);
        Assert.Contains("'batchsize'", error.Message);
    }

    [Fact]
    public void MicroBatchIsAJsonKeyAndAtLeastTwo()
    {
        Assert.Equal(64, PretrainOptionsJson.Overlay(PretrainPresets.Cifar, """{ "micro-batch": 64 }""").MicroBatch);
        var error = Assert.Throws<ArgumentException>(() => (PretrainPresets.Cifar with { MicroBatch = 1 }).Validated());
        Assert.Contains("micro-batch must be at least 2", error.Message);
    }

    [Fact]
    public void StemStrideIsAJsonKeyReachesTheBackboneAndNeedsTheCifarStem()
    {
        var strided = PretrainOptionsJson.Overlay(PretrainPresets.FashionMnist, """{ "stem-stride": 2, "width": 64 }""");
        Assert.Equal(2, strided.BackboneOptions().StemStride);
        Assert.Empty(strided.Problems());
        Assert.Equal(1, PretrainOptionsJson.Read("{}").StemStride); // configs written before the option
        var error = Assert.Throws<ArgumentException>(() => (PretrainPresets.ImageNet with { StemStride = 2 }).Validated());
        Assert.Contains("stem-stride", error.Message);
    }

    [Fact]
    public void ZeroInitResidualIsTheAuthorsInEveryPresetAndAJsonKeyThatReachesTheBackbone()
    {
        Assert.All(PretrainPresets.All.Values, preset => Assert.True(preset.BackboneOptions().ZeroInitResidual));
        Assert.True(PretrainOptionsJson.Read("{}").ZeroInitResidual); // configs written before the option
        var plain = PretrainOptionsJson.Overlay(PretrainPresets.FashionMnist, """{ "zero-init-residual": false }""");
        Assert.False(plain.BackboneOptions().ZeroInitResidual);
    }

    [Fact]
    public void InvalidOptionsListEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => (new PretrainOptions { BatchSize = 1, Optimizer = "adam", Data = "x" }).Validated());
        Assert.Contains("batch-size", error.Message);
        Assert.Contains("optimizer", error.Message);
        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void EachRefusedValueIsOneSentenceThatStartsWithItsFlag()
    {
        var valid = PretrainPresets.FashionMnist;
        (string Flag, PretrainOptions Options)[] cases =
        [
            ("micro-batch", valid with { MicroBatch = 1 }), ("steps", valid with { Steps = 0, Minutes = null }), ("max-steps", valid with { MaxSteps = -1 }),
            ("minutes", valid with { Minutes = double.PositiveInfinity }), ("minutes", valid with { Minutes = 0 }),
            ("local-size", valid with { LocalCrops = 2, LocalSize = 2 }), ("crop-scale", valid with { CropScale = new(0, 1) }),
            ("warmup-epochs", valid with { WarmupEpochs = double.NaN }), ("weight-lr", valid with { WeightLr = double.PositiveInfinity }),
            ("momentum", valid with { Momentum = 1 }), ("beta2", valid with { Beta2 = -0.1 }), ("eta", valid with { Eta = 0 }),
            ("checkpoint-minutes", valid with { CheckpointMinutes = double.NaN }), ("workers", valid with { Workers = -1 }),
            ("precision", valid with { Precision = "fp16" }), ("optimizer", valid with { Optimizer = "adam" }),
            ("view-pairing", valid with { ViewPairing = "nearest" }),
        ];
        foreach (var (flag, options) in cases)
        {
            var problem = Assert.Single(options.Problems());
            Assert.True(problem.StartsWith(flag + " must", StringComparison.Ordinal) && !problem.Contains('\n'), $"{flag}: {problem}");
        }
        Assert.Empty((valid with { LocalSize = 2 }).Problems()); // without multi-crop the small views' side is unused
    }

    [Fact]
    public void ResumeRefusesChangesToWhatIsComputedButAllowsWhereToStop()
    {
        var saved = PretrainPresets.Cifar;
        Assert.Empty(ResumeRules.Conflicts(saved, saved with { MaxSteps = 5, Workers = 3 }));
        Assert.Equal(["weight-lr", "seed"], ResumeRules.Conflicts(saved, saved with { Seed = 9, WeightLr = 1 }).Select(c => c.Split(' ')[0]));
    }

    [Fact]
    public void JitterStrengthScalesEveryViewOfTheRunsRecipeAndOneIsThePresets()
    {
        foreach (var (name, preset) in PretrainPresets.All)
            Assert.True(preset.JitterStrength == 1, $"{name} sets jitter-strength {preset.JitterStrength}");
        var multiCrop = PretrainPresets.FashionMnist with { LocalCrops = 2, LocalSize = 14 };
        var plain = multiCrop.ViewRecipe();
        Assert.Equal(plain.WithJitterStrength(1), plain);
        var strong = (multiCrop with { JitterStrength = 2 }).ViewRecipe();
        Assert.Equal(plain.WithJitterStrength(2), strong);
        Assert.Equal((0.8, 0.8, 0.8), (strong.A.Brightness, strong.B.Contrast, strong.Locals!.View.Brightness));
        Assert.Equal(new(0.4, 1), strong.B.CropScale); // the preset's --crop-scale still applies
        Assert.Equal(2, PretrainOptionsJson.Overlay(PretrainPresets.FashionMnist, """{ "jitter-strength": 2 }""").JitterStrength);
        Assert.Equal(1, PretrainOptionsJson.Read("{}").JitterStrength); // configs and checkpoints written before the option
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ABadJitterStrengthIsOneProblemNamingIt(double strength)
    {
        var problem = Assert.Single((PretrainPresets.FashionMnist with { JitterStrength = strength }).Problems());
        Assert.StartsWith("jitter-strength must be a finite number ≥ 0", problem);
        Assert.Empty((PretrainPresets.FashionMnist with { JitterStrength = 0 }).Problems());
    }

    [Fact]
    public void ResumeRefusesAnotherJitterStrength()
    {
        var saved = PretrainPresets.FashionMnist;
        Assert.Equal(["jitter-strength"], ResumeRules.Conflicts(saved, saved with { JitterStrength = 1.5 }).Select(c => c.Split(' ')[0]));
        // A run recorded before the option (its config has no such key) resumes as strength 1.
        var recorded = System.Text.Json.Nodes.JsonNode.Parse(PretrainOptionsJson.Write(saved))!.AsObject();
        Assert.True(recorded.Remove("jitter-strength"));
        Assert.Empty(ResumeRules.Conflicts(PretrainOptionsJson.Read(recorded.ToJsonString()), saved));
    }

    [Fact]
    public void WarmupIsCappedAtATenthOfTheRun()
    {
        var options = new PretrainOptions { WarmupEpochs = 10 };
        Assert.Equal(100, ScheduleFactory.WarmupSteps(options, stepsPerEpoch: 10, totalSteps: 10_000));
        Assert.Equal(5, ScheduleFactory.WarmupSteps(options, stepsPerEpoch: 10, totalSteps: 50));
    }
}
