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
        using var table = SharedFixtures.Load("lr/lr_table.npy");
        var rows = table.data<double>().ToArray();
        int columns = (int)table.shape[1];
        Assert.True(table.shape[0] > 40);
        for (int r = 0; r < table.shape[0]; r++)
        {
            var row = rows.AsSpan(r * columns, columns);
            var schedule = LearningRateSchedule.ForEpochs((int)row[0], (long)row[1], (int)row[2]);
            var (weights, biases) = schedule.At((long)row[3]);
            Assert.True(Math.Abs(weights - row[4]) <= Tolerance * Math.Max(1, row[4]), $"row {r}: weights {weights} vs {row[4]}");
            Assert.True(Math.Abs(biases - row[5]) <= Tolerance * Math.Max(1, row[5]), $"row {r}: biases {biases} vs {row[5]}");
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
