using System.CommandLine;
using BarlowTwins;
using BarlowTwins.Cli.Commands;

// Before anything loads libtorch: idle OpenMP threads sleep instead of spinning (shared machines).
OpenMpWaitPolicy.PreferPassive();

var root = new RootCommand("barlow — Barlow Twins self-supervised learning for .NET");
foreach (var verb in Verbs.All()) root.Subcommands.Add(verb);
return root.Parse(args).Invoke();
