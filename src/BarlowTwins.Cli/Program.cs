using BarlowTwins.Cli.Commands;
using BarlowTwins.Distributed;
using Spectre.Console;

// Before anything loads libtorch: idle OpenMP threads sleep instead of spinning (shared machines).
OpenMpWaitPolicy.PreferPassive();

// Spectre trusts TERM; a log file or pipe must not receive colour escape codes.
if (Console.IsOutputRedirected)
    AnsiConsole.Profile.Capabilities.Ansi = false;

return Verbs.Invoke(args);
