using System.CommandLine;
using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow duplicates</c>: pairs of embedded images that are nearly the same.</summary>
internal static class DuplicatesCommand
{
    public static Command Create()
    {
        var embeddings = new Option<string>("--embeddings") { Description = "STEM of `barlow embed --out STEM` (STEM.npy + STEM.csv)", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "Report pairs with cosine similarity at least this", DefaultValueFactory = _ => 0.95 };
        var limit = new Option<int>("--limit") { Description = "Pairs to print at most (the most similar)", DefaultValueFactory = _ => 50 };
        var command = new Command("duplicates", "Report pairs of embedded images above a cosine-similarity threshold (near-duplicates).")
            { embeddings, threshold, limit };
        command.SetAction(parse => InputErrors.Run(() =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            EmbeddingQueries.PrintDuplicates(parse.GetValue(embeddings)!, parse.GetValue(threshold), parse.GetValue(limit), Console.Out);
        }));
        return command;
    }
}
