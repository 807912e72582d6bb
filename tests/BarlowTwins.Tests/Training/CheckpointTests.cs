using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Checkpoints;

namespace BarlowTwins.Tests.Training;

[Collection(SerialTorchRandom.Name)]
public sealed class CheckpointTests : TempFolderTest
{
    private CheckpointStore TrainTwoEpochs()
    {
        var options = TinyRun.Options(Folder);
        using (var trainer = new Pretrainer(options, TinyRun.Data(), [])) trainer.Run();
        return new CheckpointStore(Folder, options.KeepCheckpoints);
    }

    [Fact]
    public void NewestCheckpointVerifiesAndHoldsTheRunPosition()
    {
        var store = TrainTwoEpochs();
        Assert.Equal(2, store.Files().Count);
        using var checkpoint = store.LoadLatest(warning => Assert.Fail(warning))!;
        Assert.Equal(2 * TinyRun.StepsPerEpoch, checkpoint.Progress.GlobalStep);
        Assert.Equal((2, 0), (checkpoint.Progress.Epoch, checkpoint.Progress.BatchInEpoch));
        Assert.Equal(TinyRun.Options(Folder), checkpoint.Options);
    }

    [Fact]
    public void ACorruptCheckpointIsReportedAndTheOlderOneUsed()
    {
        var store = TrainTwoEpochs();
        string newest = store.Files()[0];
        FlipOneByte(newest);
        var warnings = new List<string>();
        using var checkpoint = store.LoadLatest(warnings.Add)!;
        Assert.Equal(TinyRun.StepsPerEpoch, checkpoint.Progress.GlobalStep);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("SHA-256", warnings[0]);
        Assert.Contains(CheckpointStore.DamagedSuffix, warnings[1]);
    }

    // The fallback used to leave the damaged file in the store: the next save's rotation counted it
    // among those kept and deleted the good one the run had resumed from.
    [Fact]
    public void ADamagedCheckpointIsSetAsideAndRotationKeepsTheGoodOne()
    {
        var store = TrainTwoEpochs();
        var (newest, older) = (store.Files()[0], store.Files()[1]);
        FlipOneByte(newest);
        using (var checkpoint = store.LoadLatest(_ => { })!)
            Assert.Equal(CheckpointStore.StepOf(older), checkpoint.Progress.GlobalStep);
        Assert.True(File.Exists(newest + CheckpointStore.DamagedSuffix));

        store.Save(TinyRun.StepsPerEpoch + 1, path => File.Copy(older, path));
        Assert.Equal([store.PathFor(TinyRun.StepsPerEpoch + 1), older], store.Files());
    }

    [Fact]
    public void WhenEveryCheckpointIsDamagedTheErrorSaysWhatToDo()
    {
        var store = TrainTwoEpochs();
        foreach (var file in store.Files()) File.WriteAllBytes(file, File.ReadAllBytes(file)[..100]);
        var error = Assert.Throws<InvalidDataException>(() => store.LoadLatest(_ => { }));
        Assert.Contains("damaged", error.Message);
    }

    [Fact]
    public void TruncatedFileFailsVerification()
    {
        var store = TrainTwoEpochs();
        string file = store.Files()[0];
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..^1]);
        Assert.Throws<InvalidDataException>(() => CheckpointFile.Verify(file));
    }

    private static void FlipOneByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }
}
