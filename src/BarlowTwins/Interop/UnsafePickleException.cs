namespace BarlowTwins.Interop;

/// <summary>
/// A checkpoint's pickle asked for something other than tensors and plain containers (a class,
/// a function such as os.system, an object-building opcode). It was refused before anything ran.
/// </summary>
public sealed class UnsafePickleException(string message) : Exception(message);
