using System.CommandLine;
using BarlowTwins.Cli.Commands;

var root = new RootCommand("barlow — Barlow Twins self-supervised learning for .NET");
foreach (var verb in Verbs.All()) root.Subcommands.Add(verb);
return root.Parse(args).Invoke();
