using BarlowTwins.Optim;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Optim;

/// <summary>The warm-up + cosine schedule against the authors' formula, evaluated in float64.</summary>
public class LearningRateScheduleTests
{
    // Both sides are float64 evaluations of the same closed form; only operation order differs.
    private const double Tolerance = 1e-12;

    [Fact]
    public void EveryRowOfTheReferenceTableMatches()
    {
        Torch.Ensure();
        var section = SharedFixtures.Manifest.GetProperty("lr_schedule");
        using var table = SharedFixtures.Load(section.GetProperty("table_file"));
        var columns = section.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
        var values = table.data<double>().ToArray();
        Assert.Equal(columns.Count, (int)table.shape[1]);
        Assert.True(table.shape[0] > 0, "the table has no row");
        for (int r = 0; r < table.shape[0]; r++)
        {
            var row = values[(r * columns.Count)..((r + 1) * columns.Count)];
            double Column(string name) => row[columns.IndexOf(name)];
            var schedule = LearningRateSchedule.ForEpochs((int)Column("epochs"), (long)Column("steps_per_epoch"), (int)Column("batch_size"));
            var (weights, biases) = schedule.At((long)Column("step"));
            double expectedWeights = Column("lr_weights"), expectedBiases = Column("lr_biases");
            Assert.True(Math.Abs(weights - expectedWeights) <= Tolerance * Math.Max(1, expectedWeights), $"row {r}: weights {weights} vs {expectedWeights}");
            Assert.True(Math.Abs(biases - expectedBiases) <= Tolerance * Math.Max(1, expectedBiases), $"row {r}: biases {biases} vs {expectedBiases}");
        }
    }

    [Fact]
    public void PeakIsBatchOver256()
    {
        var schedule = LearningRateSchedule.ForEpochs(100, 10, 512);
        Assert.Equal(0, schedule.At(0).Weights);
        Assert.Equal(0.4, schedule.At(100).Weights, 12);
        Assert.Equal(0.4 * 0.001, schedule.At(1000).Weights, 12);
    }
}
