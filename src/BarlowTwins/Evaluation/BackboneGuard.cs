using System.Security.Cryptography;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>
/// Proves a frozen backbone stayed frozen: a hash of every parameter and buffer (BN running
/// statistics included, so a forgotten <c>eval()</c> is caught too) taken before a protocol and
/// compared after it.
/// </summary>
public sealed class BackboneGuard
{
    private readonly Module _module;

    /// <summary>The fingerprint taken when the guard was created.</summary>
    public string Before { get; }

    private BackboneGuard(Module module)
    {
        _module = module;
        Before = Fingerprint(module);
    }

    /// <summary>Takes the fingerprint of <paramref name="module"/> now.</summary>
    public static BackboneGuard Watch(Module module) => new(module);

    /// <summary>Throws when any parameter or buffer differs from when the guard was created.</summary>
    public string Verify()
    {
        var after = Fingerprint(_module);
        if (after != Before)
            throw new InvalidOperationException(
                $"The frozen backbone changed during evaluation (fingerprint {Before} → {after}): a parameter or a " +
                "BatchNorm running statistic was updated. The backbone must stay in eval mode with gradients off.");
        return after;
    }

    /// <summary>The first 64 bits (hex) of a SHA-256 of the names and exact bytes of all parameters and buffers.</summary>
    public static string Fingerprint(Module module)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in module.state_dict())
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            using var host = tensor.detach().cpu().contiguous();
            hash.AppendData(host.bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset(), 0, 8);
    }
}
