using System.Security.Cryptography;
using System.Text.Json;
using BarlowTwins.Training.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Training.Checkpoints;

/// <summary>A checkpoint read back from disk; owns its tensors.</summary>
/// <param name="Options">The run's options.</param>
/// <param name="Progress">Where the run stood.</param>
/// <param name="Model">The twin's state dict (parameters and buffers).</param>
/// <param name="Optimizer">The optimizer's state.</param>
/// <param name="RandomState">torch's CPU generator state.</param>
public sealed record Checkpoint(PretrainOptions Options, TrainingProgress Progress,
                                IReadOnlyDictionary<string, Tensor> Model,
                                IReadOnlyDictionary<string, Tensor> Optimizer,
                                Tensor RandomState) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Model.Values.Concat(Optimizer.Values)) t.Dispose();
        RandomState.Dispose();
    }
}

/// <summary>
/// One checkpoint file: magic, metadata (options and progress as JSON), the model's and the
/// optimizer's tensors by name, torch's generator state, then a SHA-256 of everything before it.
/// Written atomically (<see cref="AtomicFile"/>): a reader sees the old file or the complete new
/// one, never half of one; the checksum catches any other damage.
/// </summary>
public static class CheckpointFile
{
    private static readonly byte[] Magic = "BTCKPT01"u8.ToArray();
    private const int HashBytes = 32;

    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, PretrainOptions options, TrainingProgress progress,
                             IEnumerable<(string Name, Tensor Tensor)> model,
                             IReadOnlyDictionary<string, Tensor> optimizer, Tensor randomState)
    {
        AtomicFile.Write(path, file =>
        {
            using var sha = SHA256.Create();
            using (var hashed = new CryptoStream(file, sha, CryptoStreamMode.Write, leaveOpen: true))
            using (var writer = new BinaryWriter(hashed, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(PretrainOptionsJson.Write(options));
                writer.Write(JsonSerializer.Serialize(progress));
                WriteTensors(writer, model.ToList());
                WriteTensors(writer, optimizer.Select(kv => (kv.Key, kv.Value)).ToList());
                randomState.Save(writer);
                writer.Flush();
                hashed.FlushFinalBlock();
            }
            file.Write(sha.Hash!);
        });
    }

    private static void WriteTensors(BinaryWriter writer, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        writer.Write(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            writer.Write(name);
            using var contiguous = tensor.detach().contiguous();
            contiguous.Save(writer);
        }
    }

    /// <summary>
    /// Reads and verifies a checkpoint; <see cref="InvalidDataException"/> when it is damaged or its
    /// tensors hold NaN/Inf (no resume could continue from it).
    /// </summary>
    public static Checkpoint Read(string path)
    {
        Verify(path);
        using var file = File.OpenRead(path);
        using var reader = new BinaryReader(file);
        if (!reader.ReadBytes(Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a Barlow Twins checkpoint.");
        var options = PretrainOptionsJson.Read(reader.ReadString());
        var progress = JsonSerializer.Deserialize<TrainingProgress>(reader.ReadString())
                       ?? throw new InvalidDataException($"{path}: missing progress.");
        var model = ReadTensors(reader);
        var optimizer = ReadTensors(reader);
        var randomState = TensorExtensionMethods.Load(reader).DetachFromDisposeScope();
        var checkpoint = new Checkpoint(options, progress, model, optimizer, randomState);
        if (FiniteTensors.FirstNonFinite(model.Concat(optimizer).Select(kv => (kv.Key, kv.Value))) is not string bad) return checkpoint;
        checkpoint.Dispose();
        throw new InvalidDataException($"Checkpoint {path} holds NaN/Inf in '{bad}': the run had diverged when it was written.");
    }

    private static Dictionary<string, Tensor> ReadTensors(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        var tensors = new Dictionary<string, Tensor>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            tensors[name] = TensorExtensionMethods.Load(reader).DetachFromDisposeScope();
        }
        return tensors;
    }

    /// <summary>Checks the SHA-256 trailer; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static void Verify(string path)
    {
        using var file = File.OpenRead(path);
        long body = file.Length - HashBytes;
        if (body < Magic.Length)
            throw new InvalidDataException($"Checkpoint {path} is truncated ({file.Length} bytes).");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long left = body; left > 0;)
        {
            int read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) throw new InvalidDataException($"Checkpoint {path} ended early.");
            hash.AppendData(buffer, 0, read);
            left -= read;
        }
        var stored = new byte[HashBytes];
        file.ReadExactly(stored);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
            throw new InvalidDataException($"Checkpoint {path} is corrupt: its SHA-256 does not match its contents.");
    }
}
