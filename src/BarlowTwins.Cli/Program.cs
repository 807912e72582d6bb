using System.CommandLine;
using BarlowTwins;
using BarlowTwins.Cli.Commands;
using Spectre.Console;

// Before anything loads libtorch: idle OpenMP threads sleep instead of spinning (shared machines).
OpenMpWaitPolicy.PreferPassive();

// Spectre trusts TERM; a log file or pipe must not receive colour escape codes.
if (Console.IsOutputRedirected)
    AnsiConsole.Profile.Capabilities.Ansi = false;

var root = new RootCommand("barlow — Barlow Twins self-supervised learning for .NET");
foreach (var verb in Verbs.All()) root.Subcommands.Add(verb);
PretrainCommand.ShowPresetValuesInHelp(root);
return root.Parse(args).Invoke();
