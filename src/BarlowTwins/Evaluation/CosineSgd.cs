using BarlowTwins.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BarlowTwins.Evaluation;

/// <summary>
/// SGD with momentum whose parameter groups each have a base rate (at batch 256, scaled linearly
/// with the batch) that decays along one cosine from the first step to 0 at the last, no warm-up.
/// </summary>
internal sealed class CosineSgd : IDisposable
{
    private readonly SGD _optimizer;
    private readonly double[] _baseRates;
    private readonly LearningRateSchedule _schedule;
    private long _step;

    public CosineSgd(IReadOnlyList<(IEnumerable<Parameter> Parameters, double Rate)> groups, long totalSteps, int batchSize,
                     double momentum, double weightDecay)
    {
        _baseRates = groups.Select(g => g.Rate).ToArray();
        _schedule = new LearningRateSchedule(totalSteps, 0, batchSize, 1, 1, FinalFactor: 0);
        _optimizer = optim.SGD(groups.Select(g => new SGD.ParamGroup(g.Parameters, g.Rate, momentum, weight_decay: weightDecay)),
                               _baseRates[0], momentum, weight_decay: weightDecay);
    }

    /// <summary>One update from <paramref name="loss"/> at the next step's rates; returns the loss value.</summary>
    public float Step(Tensor loss)
    {
        double multiplier = _schedule.Multiplier(_step++);
        foreach (var (group, rate) in _optimizer.ParamGroups.Zip(_baseRates)) group.LearningRate = rate * multiplier;
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    public void Dispose() => _optimizer.Dispose();
}
