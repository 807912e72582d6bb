using System.Reflection;
using TorchSharp;

namespace BarlowTwins;

/// <summary>
/// The device a <c>--device</c> option names (cpu, cuda, cuda:N), checked before any work: asking
/// for CUDA where it cannot run is one clear error that says how to get it, not a native failure
/// somewhere inside the first step.
/// </summary>
public static class ComputeDevice
{
    /// <summary>Help text for <c>--device</c> options.</summary>
    public const string Help = "cpu, or cuda / cuda:N for an NVIDIA GPU (a build with -p:TorchRuntime=cuda)";

    /// <summary>TorchSharp's native runtime this library was built against: cpu or cuda (MSBuild property TorchRuntime).</summary>
    public static string Runtime { get; } =
        typeof(ComputeDevice).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "TorchRuntime")?.Value ?? "cpu";

    /// <summary>
    /// Why <paramref name="name"/> cannot be used by this build, read from the name alone (no native
    /// runtime is loaded: on the CPU build, touching CUDA fails inside libtorch); null when it may.
    /// </summary>
    public static string? Problem(string name)
    {
        string text = name.Trim().ToLowerInvariant();
        if (text == "cpu") return null;
        bool cuda = text == "cuda" || (text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text[5..], out int index) && index >= 0);
        if (!cuda) return $"--device '{name}' is not a device: use {Help}.";
        return Runtime == "cuda" ? null
            : $"--device {name}: this build uses TorchSharp's CPU runtime; rebuild with -p:TorchRuntime=cuda on a machine with an NVIDIA driver (README, GPU).";
    }

    /// <summary>The device called <paramref name="name"/>; an unknown name, or CUDA where none is usable, is an <see cref="ArgumentException"/>.</summary>
    public static torch.Device Get(string name)
    {
        if (Problem(name) is { } problem) throw new ArgumentException(problem);
        torch.Device device;
        try
        {
            device = torch.device(name.Trim().ToLowerInvariant());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"--device {name}: no CUDA device is usable ({e.Message.Split('\n')[0]}): check the NVIDIA driver with nvidia-smi.", e);
        }
        if (device.type == DeviceType.CPU) return device;
        if (!torch.cuda.is_available())
            throw new ArgumentException($"--device {name}: no CUDA device is usable (TorchSharp's CUDA runtime is loaded): check the NVIDIA driver with nvidia-smi, and CUDA_VISIBLE_DEVICES.");
        if (device.index >= torch.cuda.device_count())
            throw new ArgumentException($"--device {name}: there are {torch.cuda.device_count()} CUDA device(s), numbered from 0.");
        return device;
    }
}
