using BarlowTwins.Tests.Data;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Training;

/// <summary>Without --preset the run takes the preset that suits its data, and never trains colour images grey.</summary>
public sealed class PresetChoiceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public PresetChoiceTests() => Torch.Ensure();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void KnownFormatsTakeTheirOwnPresetWithoutBeingOpened()
    {
        Assert.Equal("fashion-mnist", PresetChoice.For("fashion-mnist").Name);
        Assert.Equal("fashion-mnist", PresetChoice.For("idx:/no/such/folder").Name);
        Assert.Equal(PretrainPresets.Cifar, PresetChoice.For("cifar100:/no/such/folder").Options);
    }

    [Fact]
    public void AFolderOfColourPhotosTrainsInColourAtTheImagenetSize()
    {
        for (int i = 0; i < SamplePhotos.Paths.Count; i++) File.Copy(SamplePhotos.Paths[i], _temp.File($"photos/{i}.jpg"));
        var choice = PresetChoice.For($"folder:{_temp.File("photos")}");
        Assert.Equal("imagenet", choice.Name);
        Assert.Equal((3, 224), (choice.Options.Channels, choice.Options.ImageSize));
        Assert.Contains("colour images, median shorter side 427 px", choice.Reason); // 512×600, 640×427, 640×427
    }

    [Theory]
    [InlineData(3, 32, "cifar", 32)]   // small colour images
    [InlineData(3, 96, "imagenet", 96)] // between: the imagenet preset at their own size, not upsampled
    [InlineData(1, 28, "fashion-mnist", 28)]
    public void SyntheticImagesTakeThePresetOfTheirColourAndSize(int channels, int size, string preset, int imageSize)
    {
        var choice = PresetChoice.For($"synthetic?count=40&size={size}&channels={channels}");
        Assert.Equal((preset, channels, imageSize), (choice.Name, choice.Options.Channels, choice.Options.ImageSize));
    }

    [Fact]
    public void FewerImagesThanThePresetsBatchTakeTheLargestBatchThatFitsAndSaySo()
    {
        var choice = PresetChoice.For("synthetic?count=50&size=96"); // 50 training images of 96 px, in colour
        Assert.Equal(("imagenet", 32), (choice.Name, choice.Options.BatchSize));
        Assert.Contains("50 colour images", choice.Reason);
        Assert.Contains("; 96 px crops, batch 32 (not the preset's 2048, which is more than the data holds;", choice.Describe(choice.Options));
        Assert.Contains("; 96 px crops, batch 16; --preset NAME", choice.Describe(choice.Options with { BatchSize = 16 })); // the user's own
        Assert.Equal(PretrainPresets.ImageNet.BatchSize, PresetChoice.For("synthetic?count=2600&size=96").Options.BatchSize);
    }

    [Fact]
    public void TheChoiceLineShowsTheCropSizeThatWillRunNotThePresets()
    {
        var choice = PresetChoice.For("synthetic?count=40&size=96");
        Assert.Contains("; 64 px crops,", choice.Describe(choice.Options with { ImageSize = 64 }));
        Assert.DoesNotContain("96 px crops", choice.Describe(choice.Options with { ImageSize = 64 }));
    }

    [Fact]
    public void LargeGreyImagesAreRefusedWithWhatToPass()
    {
        var error = Assert.Throws<ArgumentException>(() => PresetChoice.For("synthetic?count=8&size=96&channels=1"));
        Assert.Contains("--channels 1", error.Message);
        Assert.Contains("--image-size 96", error.Message);
    }

    [Fact]
    public void AutoResolvesFromTheDataFlagAndSaysWhy()
    {
        string run = _temp.File("run");
        var request = new PretrainRequest(PresetChoice.Auto, null, false, false,
                                          o => o with { Data = "synthetic?count=40&size=32", Out = run });
        var (options, resuming, choice) = PretrainSetup.Resolve(request);
        Assert.False(resuming);
        Assert.Equal("cifar", choice!.Name);
        // 40 training images: the batch that fits them, not the preset's 256.
        Assert.Equal(PretrainPresets.Cifar with { Data = "synthetic?count=40&size=32", Out = run, BatchSize = 32 }, options);
        Assert.False(Directory.Exists(run)); // resolving writes nothing
    }

    [Fact]
    public void AColourSourceIsNeverSilentlyTrainedGrey()
    {
        var grey = PretrainPresets.FashionMnist with { Data = "synthetic?count=40&size=28", BatchSize = 8 };
        var error = Assert.Throws<ArgumentException>(() => PretrainingData.Open(grey, _ => { }));
        Assert.Contains("gives colour images but the run trains grey ones", error.Message);
        var onPurpose = PretrainingData.Open(grey with { Data = "synthetic?count=40&size=28&channels=1" }, _ => { });
        Assert.Equal(5, onPurpose.BatchesPerEpoch);
    }

    [Fact]
    public void TheScheduleIsDescribedAsItWillRun()
    {
        var options = PretrainPresets.FashionMnist with { Minutes = null, Steps = 60, MaxSteps = 20 };
        Assert.Equal("schedule: 60 steps (0.13 epochs of 468), warm-up 6, then a cosine to step 60; the run stops at step 20 (--max-steps)",
                     ScheduleFactory.Describe(options, 468));
        Assert.StartsWith("schedule: fitted to 30 minutes once steps 4–13 are timed", ScheduleFactory.Describe(PretrainPresets.FashionMnist, 468));
    }
}
