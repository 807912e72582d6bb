namespace BarlowTwins.Tests.Interop;

/// <summary>A test class with libtorch loaded and its own temporary folder, deleted afterwards.</summary>
public abstract class TempFolderTest : IDisposable
{
    /// <summary>The folder, empty at the start of each test.</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory("barlow-interop-").FullName;

    protected TempFolderTest() => Support.Torch.Ensure();

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
