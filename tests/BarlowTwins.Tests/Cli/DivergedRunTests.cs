using BarlowTwins.Tests.Support;

namespace BarlowTwins.Tests.Cli;

/// <summary><c>barlow pretrain</c> at a rate that diverges: one line and exit 1, not a stack trace from the rank diagnostic.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class DivergedRunTests : TempFolderTest
{
    [Fact]
    public void ADivergedRunEndsWithOneLine()
    {
        var (code, _, stderr) = CliRun.Run(
        [
            "pretrain", "--optimizer", "sgd", "--weight-lr", "1e8", "--data", "synthetic?count=64&size=8&channels=1", "--image-size", "8",
            "--width", "4", "--projector", "32-32", "--batch-size", "16", "--precision", "fp32", "--log-every", "1",
            "--max-skipped-steps", "3", "--out", Folder,
        ]);
        Assert.Equal(1, code);
        Assert.StartsWith("error: The run diverged", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
