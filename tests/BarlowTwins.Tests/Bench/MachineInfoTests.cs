using BarlowTwins.Bench;

namespace BarlowTwins.Tests.Bench;

public class MachineInfoTests
{
    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3;/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3", true)]
    [InlineData("/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3;/usr/lib/x86_64-linux-gnu/libopenblas.so.0", false)]
    [InlineData("/usr/lib/x86_64-linux-gnu/libmkl_rt.so.2", false)]
    [InlineData("none", false)]
    public void NetlibIsRecognisedByTheAlternativesPath(string libraries, bool netlib) =>
        Assert.Equal(netlib, new ReferenceBlas(libraries, 10).IsNetlib);

    [Fact]
    public void FlagsLineNamesEveryKernelFlagPresentOrAbsent()
    {
        var words = MachineInfo.KernelFlagsPresent().Split(' ');
        Assert.Equal(MachineInfo.KernelFlags, words.Select(w => w.TrimStart('-')));
        if (File.Exists("/proc/cpuinfo")) Assert.Contains("(family", MachineInfo.CpuModel());
    }
}
