using System.Runtime.InteropServices;

namespace BarlowTwins.Distributed;

/// <summary>
/// How libtorch's idle OpenMP threads wait. By default they spin for a while before sleeping,
/// which on a machine shared with other processes steals the cores the other threads need: a
/// step on a loaded machine is several times slower spinning than waiting passively
/// (docs/performance.md, OMP_WAIT_POLICY).
/// </summary>
public static class OpenMpWaitPolicy
{
    /// <summary>The OpenMP environment variable that chooses the policy.</summary>
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE for this process (native environment, read when libtorch
    /// loads) and its children, unless the user set it. Call before the first torch call.
    /// </summary>
    /// <returns>The policy in effect.</returns>
    public static string PreferPassive()
    {
        var current = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(current)) return current;
        Environment.SetEnvironmentVariable(Variable, "PASSIVE"); // what child processes inherit
        // .NET keeps its own copy of the environment on Unix; OpenMP reads the C one.
        if (!OperatingSystem.IsWindows()) SetEnv(Variable, "PASSIVE", overwrite: 0);
        return "PASSIVE";
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);
}
