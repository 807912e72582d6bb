using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on the ELF Vernaux entry that names <see cref="Version"/> in each file,
/// when the system's libstdc++ does not provide that version, or always when <see cref="Always"/>
/// is set (a package built here may be installed on an older system; a weak requirement is
/// harmless where the version exists). Idempotent; files that are missing or already weak are left alone.
/// </summary>
public class WeakenGlibcxxRequirement : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string Version { get; set; } = "";
    public bool Always { get; set; }

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        if (!Always && SystemProvides(Version)) return true;
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                if (Patch(path, Version))
                    Log.LogMessage(MessageImportance.Normal, $"Marked {Version} weak in {path}");
            }
            catch (Exception e)
            {
                Log.LogWarning($"Could not patch {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemProvides(string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var lib in LibStdCxxCandidates)
            if (File.Exists(lib) && IndexOf(File.ReadAllBytes(lib), needle) >= 0) return true;
        return false;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Returns true when the file was changed.</summary>
    static bool Patch(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            return false; // not a little-endian ELF64 file
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        bool changed = false;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = BitConverter.ToInt64(elf, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strtab = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 24);
            changed |= WeakenIn(elf, offset, count, strtab, version);
        }
        if (!changed) return false;
        var temp = path + ".patching";
        File.WriteAllBytes(temp, elf);
        File.Delete(path); // a fresh file also breaks any hard link into the package cache
        File.Move(temp, path);
        return true;
    }

    static bool WeakenIn(byte[] elf, long verneed, int count, long strtab, string version)
    {
        bool changed = false;
        for (int n = 0; n < count; n++)
        {
            int auxCount = BitConverter.ToUInt16(elf, (int)verneed + 2);
            long aux = verneed + BitConverter.ToUInt32(elf, (int)verneed + 8);
            for (int a = 0; a < auxCount; a++)
            {
                int flagsAt = (int)aux + 4;
                uint nameOffset = BitConverter.ToUInt32(elf, (int)aux + 8);
                ushort flags = BitConverter.ToUInt16(elf, flagsAt);
                if (ReadCString(elf, strtab + nameOffset) == version && (flags & VerFlgWeak) == 0)
                {
                    BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, flagsAt);
                    changed = true;
                }
                aux += BitConverter.ToUInt32(elf, (int)aux + 12);
            }
            verneed += BitConverter.ToUInt32(elf, (int)verneed + 12);
        }
        return changed;
    }

    static string ReadCString(byte[] data, long start)
    {
        long end = start;
        while (data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }
}
