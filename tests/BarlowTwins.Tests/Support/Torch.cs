using TorchSharp;

namespace BarlowTwins.Tests.Support;

/// <summary>Makes sure libtorch is loaded before any nn.* type is touched.</summary>
public static class Torch
{
    static Torch() => torch.InitializeDeviceType(DeviceType.CPU);

    /// <summary>Call at the start of any test class's constructor.</summary>
    public static void Ensure() { }
}
