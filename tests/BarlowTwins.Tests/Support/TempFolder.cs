namespace BarlowTwins.Tests.Support;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempFolder() => Directory.CreateDirectory(Path);

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "barlow-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>Path of <paramref name="relative"/> inside the folder, its parent folder created.</summary>
    public string File(string relative)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return full;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }
}

/// <summary>A test class with libtorch loaded and its own <see cref="TempFolder"/>, deleted after each test.</summary>
public abstract class TempFolderTest : IDisposable
{
    private readonly TempFolder _temp = new();

    /// <summary>Loads libtorch.</summary>
    protected TempFolderTest() => Torch.Ensure();

    /// <summary>The folder, empty at the start of each test.</summary>
    protected string Folder => _temp.Path;

    /// <inheritdoc />
    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
