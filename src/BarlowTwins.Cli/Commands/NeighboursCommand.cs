using System.CommandLine;
using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow neighbours</c>: the nearest embedded images to one of them.</summary>
internal static class NeighboursCommand
{
    public static Command Create()
    {
        var embeddings = new Option<string>("--embeddings") { Description = "STEM of `barlow embed --out STEM` (STEM.npy + STEM.csv)", Required = true };
        var query = new Option<string>("--query") { Description = "A row index, or an embedded file (its path, or a unique end of it such as china/3.jpg)", Required = true };
        var k = new Option<int>("-k") { Description = "Neighbours to print", DefaultValueFactory = _ => 10 };
        var command = new Command("neighbours", "Print the embedded images nearest to one of them (cosine similarity).") { embeddings, query, k };
        command.SetAction(parse => InputErrors.Run(() =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            EmbeddingQueries.PrintNeighbours(parse.GetValue(embeddings)!, parse.GetValue(query)!, parse.GetValue(k), Console.Out);
        }));
        return command;
    }
}
