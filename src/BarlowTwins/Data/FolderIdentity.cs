using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BarlowTwins.Data;

/// <summary>
/// Which folder a path reaches, whatever links it goes through: device and inode on Linux (a path
/// through a link to a parent folder names the same folder, however long the path), the resolved
/// full path elsewhere. Two paths with equal identities are the same folder.
/// </summary>
internal static class FolderIdentity
{
    // struct stat of 64-bit Linux (x86-64 and arm64 alike) starts with st_dev and st_ino, 8 bytes each.
    private const int StatBufferBytes = 256;

    /// <summary>The identity of <paramref name="folder"/>.</summary>
    public static string Of(string folder)
    {
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess)
        {
            var buffer = new byte[StatBufferBytes];
            if (Stat(folder, buffer) == 0)
                return $"{BinaryPrimitives.ReadUInt64LittleEndian(buffer)}:{BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(8))}";
        }
        return new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(folder);
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer);
}
