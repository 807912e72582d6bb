using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Checkpoints;
using BarlowTwins.Training.Options;

namespace BarlowTwins.Tests.Training;

public sealed class PretrainSetupTests : TempFolderTest
{
    private PretrainRequest Request(bool resume = false, bool fresh = false, string? config = null) =>
        new("fashion-mnist", config, resume, fresh, o => o with { Out = Folder, MaxSteps = 5 });

    [Fact]
    public void NewRunIsPresetThenConfigThenFlags()
    {
        string config = Path.Combine(Folder, "mine.json");
        File.WriteAllText(config, """{ "batch-size": 64, "max-steps": 1 }""");
        var (options, resuming, choice) = PretrainSetup.Resolve(Request(config: config));
        Assert.Null(choice);
        Assert.False(resuming);
        Assert.Equal(PretrainPresets.FashionMnist with { BatchSize = 64, MaxSteps = 5, Out = Folder }, options);
    }

    [Fact]
    public void FolderWithACheckpointResumesItsSavedOptionsPlusFlags()
    {
        var saved = PretrainPresets.Cifar with { Data = "cifar10:/data/cifar-10-batches-bin", Out = Folder };
        File.WriteAllText(new RunFolder(Folder).Config, PretrainOptionsJson.Write(saved));
        Directory.CreateDirectory(Path.Combine(Folder, "checkpoints"));
        File.WriteAllBytes(new CheckpointStore(Folder, 1).PathFor(3), []);

        var (options, resuming, _) = PretrainSetup.Resolve(Request());
        Assert.True(resuming);
        Assert.Equal(saved with { MaxSteps = 5 }, options);
        Assert.Throws<ArgumentException>(() => PretrainSetup.Resolve(Request(fresh: true)));
    }

    // config.json is the run's options for people; the checkpoint holds them too.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnEmptyOrMissingConfigDoesNotBlockAResume(bool missing)
    {
        var run = TinyRun.Options(Folder) with { MaxSteps = 1 };
        using (var trainer = new Pretrainer(run, TinyRun.Data(), [])) trainer.Run();
        string config = new RunFolder(Folder).Config;
        if (missing) File.Delete(config);
        else File.WriteAllText(config, "");

        var resolved = PretrainSetup.Resolve(Request());
        Assert.True(resolved.Resuming);
        Assert.Equal(run with { MaxSteps = 5 }, resolved.Options);
        Assert.Contains(RunFolder.ConfigFileName, resolved.Note);
    }

    [Fact]
    public void ResumeWithoutACheckpointIsAnError() =>
        Assert.Contains("no checkpoint", Assert.Throws<ArgumentException>(() => PretrainSetup.Resolve(Request(resume: true))).Message);
}
