using System.Runtime.InteropServices;

namespace BarlowTwins.Tests.Data;

/// <summary>The real photos Debian's python3-matplotlib and python3-sklearn install (CI installs both).</summary>
public static class SamplePhotos
{
    /// <summary>grace_hopper.jpg (512×600), china.jpg and flower.jpg (640×427).</summary>
    public static IReadOnlyList<string> Paths { get; } =
    [
        "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg",
        "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg",
        "/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg",
    ];

    /// <summary>
    /// Builds an image folder of the three photos (two copies each, one class per photo) salted
    /// with broken files, and returns the paths of the broken ones (what a source must report).
    /// </summary>
    public static IReadOnlyList<string> WriteSaltedFolder(TempFolder temp)
    {
        string[] classes = ["hopper", "china", "flower"];
        for (int c = 0; c < 3; c++)
            for (int copy = 0; copy < 2; copy++)
                File.Copy(Paths[c], temp.File($"{classes[c]}/{copy}.jpg"));
        var photo = File.ReadAllBytes(Paths[0]);
        var broken = new List<string>
        {
            temp.File("hopper/empty.jpg"),
            temp.File("china/notes.png"),
            temp.File("flower/garbage.jpg"),
            temp.File("stray.txt"),
            temp.File("flower/loop"),
            temp.File("china/nested/again"),
            temp.File("hopper/pipe.jpg"),
        };
        File.WriteAllBytes(broken[0], []);
        File.WriteAllText(broken[1], "not a picture, just text named like one");
        File.WriteAllBytes(broken[2], [.. photo.Take(2).Concat(Enumerable.Repeat((byte)0x5A, 500))]);
        File.WriteAllText(broken[3], "a file beside the class folders");
        File.CreateSymbolicLink(broken[4], broken[4]); // a link to itself: reading it fails (ELOOP)
        Directory.CreateSymbolicLink(broken[5], temp.File("china")); // a folder link back up: walking it would never end
        Assert.Equal(0, MakeFifo(broken[6], 0b110_100_100));           // a named pipe: opening it would wait forever
        return broken;
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);
}
