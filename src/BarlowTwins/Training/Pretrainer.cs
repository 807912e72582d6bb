using System.Diagnostics;
using BarlowTwins.Augment;
using BarlowTwins.Distributed;
using BarlowTwins.Interop;
using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Optim;
using BarlowTwins.Training.Checkpoints;
using BarlowTwins.Training.Options;
using BarlowTwins.Training.Output;
using BarlowTwins.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Training;

/// <summary>
/// The pre-training loop: builds the twin and optimizer from <see cref="PretrainOptions"/>,
/// resumes from the newest valid checkpoint in OUT when there is one, runs steps on the data's
/// batches with the per-step schedule, tells observers what happens, checkpoints at every epoch
/// end and every <see cref="PretrainOptions.CheckpointMinutes"/>, and exports the backbone.
/// It knows neither the dataset nor the display.
/// <para>
/// Data-parallel (K ranks under mpiexec): every rank builds the same network and loads the same
/// checkpoint, then takes rank 0's state; each step runs the global loss and sums the gradients
/// (<see cref="PretrainingStep"/>). Only rank 0 writes files and tells observers; the others
/// are quiet.
/// </para>
/// </summary>
public sealed class Pretrainer : IDisposable
{
    private readonly PretrainOptions _options;
    private readonly IPretrainingData _data;
    private readonly IReadOnlyList<ITrainingObserver> _observers;
    private readonly IBackboneMonitor? _monitor;
    private readonly ICollectives _collectives;
    private readonly CheckpointStore _store;
    private readonly IOptimizer _optimizer;
    private readonly PretrainingStep _step;
    private readonly TimeBudget? _budget;
    private readonly Throughput _throughput = new();
    private TrainingProgress _progress;
    private long _savedStep = -1;
    private long _skipStreak; // consecutive skipped updates, ending at the newest step

    /// <summary>The network being trained (float32 master weights).</summary>
    public TwinNetwork Twin { get; }

    /// <summary>Where the run stands.</summary>
    public TrainingProgress Progress => _progress;

    /// <summary>True when the run continued from a checkpoint.</summary>
    public bool Resumed { get; }

    /// <summary>Prepares a run; resumes from OUT/checkpoints when it holds a valid checkpoint.</summary>
    /// <param name="options">What to train.</param>
    /// <param name="data">This rank's share of every global batch of <see cref="PretrainOptions.BatchSize"/>.</param>
    /// <param name="observers">Told about the run on rank 0 (ignored on the other ranks).</param>
    /// <param name="monitor">k-NN monitor run at epoch ends on rank 0, or null.</param>
    /// <param name="collectives">The ranks of a data-parallel run (null: this process alone).</param>
    public Pretrainer(PretrainOptions options, IPretrainingData data, IReadOnlyList<ITrainingObserver> observers,
                      IBackboneMonitor? monitor = null, ICollectives? collectives = null)
    {
        _options = options.Validated();
        _collectives = collectives ?? new SingleProcess();
        if (_collectives.Size > 1 && options.Minutes is not null)
            throw new ArgumentException("--minutes is not supported with several ranks (each would fit its own schedule): use --epochs.");
        _data = data;
        _observers = _collectives.IsRoot ? observers : [];
        _monitor = _collectives.IsRoot ? monitor : null;
        if (data.BatchesPerEpoch < 1)
            throw new ArgumentException($"The data gives no full batch of {options.BatchSize} images: use a smaller --batch-size.");
        var device = ComputeDevice.Get(options.Device);
        torch.InitializeDeviceType(device.type);
        _store = new CheckpointStore(options.Out, options.KeepCheckpoints);
        using var checkpoint = _store.LoadLatest(Message, setAsideDamaged: _collectives.IsRoot);
        Precision = ChoosePrecision(checkpoint);
        _options = _options with { Precision = Precision.Precision };
        // Seeded after the precision probe: whatever it drew, the run starts from the seed's state.
        torch.manual_seed(options.Seed);
        Twin = _options.CreateTwin(device);
        var bf16Twin = _options.Precision == Precisions.BFloat16 ? _options.CreateTwin(device) : null;
        _optimizer = OptimizerKinds.Create(_options, ParameterGroups.Of(Twin.parameters()));
        _step = new PretrainingStep(Twin, _options.CreateLoss(), _optimizer, bf16Twin,
                                    _options.MicroBatch, _collectives, _options.ChannelsLast, _options.ViewPairing);
        var resumed = checkpoint is null ? null : Resume(checkpoint);
        Resumed = resumed is not null;
        if (resumed is null && options.InitFrom is string init) InitialiseBackbone(init);
        _progress = resumed ?? Fresh();
        _savedStep = Resumed ? _progress.GlobalStep : -1;
        _budget = options.Minutes is double minutes ? new TimeBudget(minutes * 60) : null;
        // Every rank has read OUT (checkpoint, config) before rank 0 writes to it.
        _collectives.BroadcastState(Twin);
        _collectives.Barrier();
        // The run folder is made only now that everything was read and accepted (checkpoint, options,
        // --init-from weights): a refused start leaves nothing behind.
        if (_collectives.IsRoot)
        {
            Directory.CreateDirectory(options.Out);
            AtomicFile.WriteAllText(new RunFolder(options.Out).Config, PretrainOptionsJson.Write(_options));
        }
    }

    /// <summary>The precision the run trains in, and how it was chosen.</summary>
    public PrecisionChoice Precision { get; }

    // A resumed run keeps what it recorded; auto on a new run measures (rank 0 alone, on the whole
    // machine, and tells the other ranks, which must run the same network).
    private PrecisionChoice ChoosePrecision(Checkpoint? checkpoint)
    {
        if (checkpoint is not null && _options.Precision == Precisions.Auto)
            return new PrecisionChoice(checkpoint.Options.Precision, PrecisionChoice.Recorded);
        if (_options.Precision != Precisions.Auto) return new PrecisionChoice(_options.Precision, PrecisionChoice.AskedFor);
        var measured = _collectives.IsRoot ? PrecisionProbe.ForTraining(_options, _options.BatchSize / _collectives.Size) : null;
        if (_collectives.Size == 1) return measured!;
        using var bf16 = torch.tensor(measured?.Precision == Precisions.BFloat16 ? 1f : 0f);
        _collectives.Broadcast(bf16);
        return measured ?? new PrecisionChoice(bf16.item<float>() == 1 ? Precisions.BFloat16 : Precisions.Float32, PrecisionChoice.MeasuredHow);
    }

    private TrainingProgress Fresh()
    {
        int perEpoch = _data.BatchesPerEpoch;
        long total = ScheduleFactory.PlannedSteps(_options, perEpoch) ?? 0;
        return new TrainingProgress(0, 0, 0, perEpoch, total, ScheduleFactory.WarmupSteps(_options, perEpoch, total), 0, 0);
    }

    // Only a new run starts from given weights; a resumed one has its own in the checkpoint.
    private void InitialiseBackbone(string source)
    {
        BackboneWeights.LoadInto(Twin.Backbone, source);
        Message($"backbone initialised from {source}; the projector starts fresh");
    }

    private TrainingProgress Resume(Checkpoint checkpoint)
    {
        var conflicts = ResumeRules.Conflicts(checkpoint.Options, _options);
        if (conflicts.Count > 0)
            throw new ArgumentException(
                $"{_options.Out} holds a run with other options; resume it unchanged or use another --out. Different: {string.Join("; ", conflicts)}.");
        if (checkpoint.Progress.StepsPerEpoch != _data.BatchesPerEpoch)
            throw new ArgumentException(
                $"The checkpoint was made with {checkpoint.Progress.StepsPerEpoch} batches per epoch, the data now gives {_data.BatchesPerEpoch}: the data changed.");
        var progress = ResumeRules.Extend(checkpoint.Progress, checkpoint.Options, _options);
        LoadModel(checkpoint.Model);
        _optimizer.LoadState(checkpoint.Optimizer);
        torch.set_rng_state(checkpoint.RandomState);
        Message($"resumed from step {progress.GlobalStep} (epoch {progress.Epoch + 1}, batch {progress.BatchInEpoch})");
        if (progress.TotalSteps != checkpoint.Progress.TotalSteps)
            Message($"schedule extended from {checkpoint.Progress.TotalSteps} to {progress.TotalSteps} steps (warm-up {progress.WarmupSteps} kept): " +
                    $"from step {progress.GlobalStep} on, the rates of a {progress.TotalSteps}-step schedule");
        return progress;
    }

    private void LoadModel(IReadOnlyDictionary<string, Tensor> saved)
    {
        using var _ = no_grad();
        foreach (var (name, tensor) in Twin.state_dict())
        {
            if (!saved.TryGetValue(name, out var value) || !value.shape.SequenceEqual(tensor.shape))
                throw new InvalidDataException($"The checkpoint's model has no tensor '{name}' of shape [{string.Join(",", tensor.shape)}]: it belongs to another network.");
            tensor.copy_(value);
        }
    }

    /// <summary>Trains until the schedule ends, <see cref="PretrainOptions.MaxSteps"/>, or <paramref name="cancel"/>.</summary>
    public TrainingProgress Run(CancellationToken cancel = default)
    {
        foreach (var o in _observers) o.OnStart(_options, _progress, Resumed);
        foreach (var o in _observers) o.OnData(_data);
        foreach (var o in _observers) o.OnPrecision(Precision);
        Twin.train();
        var sinceCheckpoint = Stopwatch.StartNew();
        while (!ShouldStop(cancel))
        {
            var epoch = new EpochTally(_progress.Epoch);
            foreach (var batch in _data.Epoch(_progress.Epoch, _progress.BatchInEpoch))
            {
                StepReport report;
                using (batch) report = TrainOn(batch);
                epoch.Add(report);
                foreach (var o in _observers) o.OnStep(report);
                StopIfDiverged();
                if (sinceCheckpoint.Elapsed.TotalMinutes >= _options.CheckpointMinutes)
                {
                    SaveCheckpoint();
                    sinceCheckpoint.Restart();
                }
                if (ShouldStop(cancel)) break;
            }
            if (_progress.BatchInEpoch < _progress.StepsPerEpoch) break; // stopped inside the epoch
            EndEpoch(epoch);
            SaveCheckpoint();
            sinceCheckpoint.Restart();
        }
        if (_savedStep != _progress.GlobalStep) SaveCheckpoint();
        if (NonFiniteState() is string bad)
            throw new TrainingDivergedException($"The run ended at step {_progress.GlobalStep} with NaN/Inf in '{bad}': no backbone written. {Newest()}");
        if (_collectives.IsRoot) Message($"backbone written to {BackboneExport.Save(Twin.Backbone, _options.Out)}");
        _collectives.Barrier(); // no rank leaves (and may resume) before rank 0's files are complete
        foreach (var o in _observers) o.OnFinish(_progress);
        return _progress;
    }

    private bool ShouldStop(CancellationToken cancel) =>
        _progress.IsComplete || _options.MaxSteps is long max && _progress.GlobalStep >= max || cancel.IsCancellationRequested;

    private StepReport TrainOn(TwoViewBatch batch)
    {
        var schedule = CurrentSchedule();
        var rates = schedule.At(_progress.GlobalStep);
        bool logged = _progress.GlobalStep % _options.LogEvery == 0;
        var result = _step.Run(batch, rates, diagnose: logged);
        double seconds = _throughput.Lap(batch.Count * _collectives.Size);
        _progress = _progress with
        {
            GlobalStep = _progress.GlobalStep + 1,
            BatchInEpoch = _progress.BatchInEpoch + 1,
            SkippedSteps = _progress.SkippedSteps + (result.Skipped ? 1 : 0),
            TrainingSeconds = _progress.TrainingSeconds + seconds,
        };
        _skipStreak = result.Skipped ? _skipStreak + 1 : 0;
        if (result.Skipped) Message($"step {_progress.GlobalStep}: loss or gradient was NaN/Inf, update skipped ({_progress.SkippedSteps} so far)");
        FitBudget(seconds);
        long end = _progress.EndStep(_options.MaxSteps);
        return new StepReport(_progress, result, rates.Weights, rates.Biases, _throughput.ImagesPerSecond, EtaSeconds(end), end,
                              batch.Count * _collectives.Size, logged);
    }

    // To where the run really stops (--max-steps before the schedule's end). While a time budget
    // is still being measured the provisional schedule's length means nothing: what is left of the
    // budget bounds the estimate.
    private double EtaSeconds(long endStep)
    {
        double toEnd = Math.Max(0, endStep - _progress.GlobalStep) * _throughput.SecondsPerStep;
        if (_budget is null || _progress.TotalSteps > 0) return toEnd;
        double budgetLeft = Math.Max(0, _budget.Seconds - _progress.TrainingSeconds);
        return endStep > 0 ? Math.Min(budgetLeft, toEnd) : budgetLeft;
    }

    // Until a time budget is measured the schedule is provisional: the warm-up ramp it gives the
    // first few steps is the one the final schedule starts with.
    private LearningRateSchedule CurrentSchedule()
    {
        if (_progress.TotalSteps > 0) return ScheduleFactory.Create(_options, _progress);
        long warmup = Math.Max(1, (long)Math.Round(_options.WarmupEpochs * _progress.StepsPerEpoch));
        return ScheduleFactory.Create(_options, Math.Max(10 * warmup, (long)_options.Epochs * _progress.StepsPerEpoch), warmup);
    }

    // The schedule is fitted once the first steps are timed, again at the end of the warm-up, and
    // every TimeBudget.RefitSteps of the cosine: steps keep getting faster for a while, and a schedule
    // fitted early leaves part of the budget unused. A re-plan keeps the rate continuous.
    private void FitBudget(double stepSeconds)
    {
        if (_budget is null) return;
        _budget.Time(stepSeconds);
        string? moment = BudgetFitMoment();
        if (moment is null || !_budget.Measured) return;
        long before = _progress.TotalSteps;
        long total = _budget.Fit(_progress.GlobalStep, _progress.TrainingSeconds);
        if (before == 0)
            _progress = _progress with { TotalSteps = total, WarmupSteps = ScheduleFactory.WarmupSteps(_options, _progress.StepsPerEpoch, total) };
        else
        {
            var replanned = CurrentSchedule().Replanned(_progress.GlobalStep, total);
            _progress = _progress with { TotalSteps = total, ReplanStep = replanned.ReplanStep, ReplanPhase = replanned.ReplanPhase };
        }
        // The cosine's re-fits move the end by a few steps each; the bar shows the new end, a line only a large move.
        if (before > 0 && _progress.GlobalStep > _progress.WarmupSteps && Math.Abs(total - before) < 0.05 * before) return;
        Message($"time budget {_budget.Seconds / 60:0.#} min at {_budget.SecondsPerStep:0.###} s/step: {moment} {total} steps " +
                $"({(double)total / _progress.StepsPerEpoch:0.#} epochs), warm-up {_progress.WarmupSteps}");
    }

    private string? BudgetFitMoment()
    {
        long step = _progress.GlobalStep, warmup = _progress.WarmupSteps;
        if (_progress.TotalSteps == 0) return "schedule fixed at";
        if (step == warmup) return "warm-up done, schedule re-fitted to";
        bool cosineRefit = step > warmup && (step - warmup) % TimeBudget.RefitSteps == 0 && step < _progress.TotalSteps;
        return cosineRefit ? "schedule re-fitted to" : null;
    }

    // A skipped update now and then (a bfloat16 overflow) is harmless; a run of them means the
    // weights or the rates can no longer give a finite step, and more steps only burn time.
    private void StopIfDiverged()
    {
        if (_skipStreak < _options.MaxSkippedSteps) return;
        long first = _progress.GlobalStep - _skipStreak + 1;
        throw new TrainingDivergedException(
            $"The run diverged: steps {first}–{_progress.GlobalStep} all gave a NaN/Inf loss or gradient and were skipped " +
            $"(--max-skipped-steps {_options.MaxSkippedSteps}). {Newest()} Resuming repeats these steps: start again with a lower learning rate in another --out.");
    }

    private string Newest() =>
        _store.Files() is [var newest, ..] ? $"The newest checkpoint is {newest}." : "No checkpoint was written.";

    private void EndEpoch(EpochTally tally)
    {
        double? monitor = null;
        if (_monitor is not null && _options.KnnEvery > 0 && (tally.Epoch + 1) % _options.KnnEvery == 0)
        {
            Twin.Backbone.eval();
            monitor = _monitor.Evaluate(Twin.Backbone);
            Twin.train();
        }
        _progress = _progress with { Epoch = _progress.Epoch + 1, BatchInEpoch = 0 };
        var report = tally.Report(_progress, monitor);
        foreach (var o in _observers) o.OnEpoch(report);
    }

    private void SaveCheckpoint()
    {
        if (!_collectives.IsRoot)
        {
            _savedStep = _progress.GlobalStep;
            return;
        }
        if (NonFiniteState() is string bad)
        {
            Message($"checkpoint at step {_progress.GlobalStep} not written: '{bad}' holds NaN/Inf. {Newest()}");
            return;
        }
        using var rng = torch.get_rng_state();
        var stateDict = Twin.state_dict();
        string path = _store.Save(_progress.GlobalStep, file =>
            CheckpointFile.Write(file, _options, _progress, stateDict.Select(kv => (kv.Key, kv.Value)), _optimizer.State(), rng));
        _savedStep = _progress.GlobalStep;
        Message($"checkpoint {path}");
    }

    // Parameters and buffers (batch-norm statistics). Not the optimizer's state: for SGD and AdamW
    // that is serialised whole to be read, and its momenta follow finite gradients.
    private string? NonFiniteState() => FiniteTensors.FirstNonFinite(Twin.state_dict().Select(kv => (kv.Key, kv.Value)));

    private void Message(string text)
    {
        foreach (var o in _observers) o.OnMessage(text);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _step.Dispose();
        _optimizer.Dispose();
        Twin.Dispose();
    }
}
