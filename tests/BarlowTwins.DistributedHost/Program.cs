// A few training steps of a tiny twin on a fixed global batch, as one rank of `mpiexec -n K`
// or as a single process, writing the first gradient and the final parameters:
//
//   BarlowTwins.DistributedHost OUTPUT_DIR SCENARIO...     SCENARIO = eval:M | train:M | sync:M | check | pretrain:M
//
// eval: every batch-norm in eval mode; train: training mode (per-rank statistics, no SyncBN);
// sync: a small conv net whose batch-norms are SyncBatchNorm on K > 1 ranks, BatchNorm on one.
// check runs DataParallelCheck (what `barlow dist-check` runs) and writes check.log.
// M is the micro-batch size (0: the local batch in one shot). Rank 0 writes OUTPUT_DIR/<mode>.params.npy
// (final parameters), <mode>.grads.npy (the first step's summed gradient), both flattened in
// parameter order, and <mode>.log (the loss of every step).
// pretrain runs the real Pretrainer (what `barlow pretrain` runs) on synthetic images through the
// real loader and augmentations, global batch 8: 3 steps, then a second Pretrainer resumes the
// checkpoint to step 5. Rank 0 writes pretrain.initial.npy and pretrain.params.npy (backbone).
using BarlowTwins.Distributed;
using BarlowTwins.Interop;
using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Optim;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

const int GlobalBatch = 16, Steps = 3;

torch.InitializeDeviceType(DeviceType.CPU);
using var collectives = Collectives.FromEnvironment();
torch.set_num_threads(collectives.ThreadsPerRank());
var outputDir = args[0];
foreach (var scenario in args.Skip(1))
{
    if (scenario.StartsWith("pretrain:", StringComparison.Ordinal))
    {
        Pretrain(collectives, outputDir, int.Parse(scenario["pretrain:".Length..]));
        continue;
    }
    if (scenario == "check")
    {
        var result = DataParallelCheck.Run(collectives);
        if (collectives.IsRoot) File.WriteAllText(Path.Combine(outputDir, "check.log"), $"{result.GradientDifference:R} {result.ReplicaDifference:R}");
        continue;
    }
    var parts = scenario.Split(':');
    var (mode, microBatch) = (parts[0], int.Parse(parts[1]));
    Run(collectives, outputDir, mode, microBatch);
}
return 0;

static void Run(ICollectives collectives, string outputDir, string mode, int microBatch)
{
    using var scope = NewDisposeScope();
    // Each rank starts from its own seed: only BroadcastState makes the replicas equal.
    manual_seed(1000 + collectives.Rank);
    var twin = mode == "sync" ? SyncNet(collectives) : TinyTwin();
    collectives.BroadcastState(twin);
    if (mode == "eval") twin.eval(); else twin.train();

    var generator = new Generator(123);
    var globalA = randn(GlobalBatch, 1, 8, 8, generator: generator);
    var globalB = randn(GlobalBatch, 1, 8, 8, generator: generator);
    var (start, length) = collectives.Shard(GlobalBatch);
    var (viewA, viewB) = (globalA.narrow(0, start, length), globalB.narrow(0, start, length));

    var loss = new BarlowTwinsLoss();
    var lossOf = StepLoss.For(collectives, loss).Forward;
    var groups = ParameterGroups.Of(twin.parameters());
    using var lars = new Lars(groups);
    lars.SetLearningRates(0.5, 0.005);
    var log = new List<string>();
    Tensor? firstGradient = null;
    for (int step = 0; step < Steps; step++)
    {
        lars.ZeroGrad();
        var terms = MicroBatchStep.Run(twin, lossOf, viewA, viewB, microBatch == 0 ? int.MaxValue : microBatch);
        collectives.SumGradients(twin.parameters());
        firstGradient ??= cat(twin.parameters().Select(p => p.grad!.flatten()).ToList(), 0);
        collectives.AverageBuffers(twin);
        lars.Step();
        log.Add($"step {step} loss {terms.Loss.item<float>():R}");
    }
    if (!collectives.IsRoot) return;
    Npy.Save(cat(twin.parameters().Select(p => p.detach().flatten()).ToList(), 0), Path.Combine(outputDir, $"{mode}.params.npy"));
    Npy.Save(firstGradient!, Path.Combine(outputDir, $"{mode}.grads.npy"));
    File.WriteAllLines(Path.Combine(outputDir, $"{mode}.log"), log);
}

static void Pretrain(ICollectives collectives, string outputDir, int microBatch)
{
    var options = new PretrainOptions
    {
        Data = "synthetic?count=32&size=12",
        Augment = "cifar",
        ImageSize = 8,
        Backbone = ResNetArchitecture.ResNet18,
        Width = 4,
        CifarStem = true,
        Projector = ProjectorSpec.Parse("32-16"),
        Lambda = RedundancyWeight.Auto,
        BatchSize = 8,
        Epochs = 1,
        WarmupEpochs = 0,
        WeightLr = 10,
        BiasLr = 0.2,
        Seed = 5,
        Workers = 0,
        LogEvery = 1,
        MaxSteps = 3,
        MicroBatch = microBatch == 0 ? null : microBatch,
        Out = Path.Combine(outputDir, "pretrain-run"),
    };
    var data = PretrainingData.Open(options, _ => { }, collectives);
    Tensor Backbone(Pretrainer trainer) => cat(trainer.Twin.Backbone.parameters().Select(p => p.detach().flatten()).ToList(), 0);
    using (var first = new Pretrainer(options, data, [], null, collectives))
    {
        if (collectives.IsRoot) Npy.Save(Backbone(first), Path.Combine(outputDir, "pretrain.initial.npy"));
        first.Run();
    }
    using var resumed = new Pretrainer(options with { MaxSteps = 5 }, data, [], null, collectives);
    if (!resumed.Resumed) throw new InvalidOperationException("the second Pretrainer did not resume the checkpoint");
    resumed.Run();
    if (collectives.IsRoot) Npy.Save(Backbone(resumed), Path.Combine(outputDir, "pretrain.params.npy"));
}

static Module<Tensor, Tensor> TinyTwin() =>
    new TwinNetwork(new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4, ZeroInitResidual: false)),
                    ProjectorSpec.Parse("32-16"));

static Module<Tensor, Tensor> SyncNet(ICollectives collectives)
{
    Module<Tensor, Tensor> Norm(long channels, bool image) =>
        collectives.Size > 1 ? new SyncBatchNorm(channels, collectives) : image ? nn.BatchNorm2d(channels) : nn.BatchNorm1d(channels);
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding: 1, bias: false), Norm(4, true), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(),
                         nn.Linear(16, 16, hasBias: false), Norm(16, false), nn.ReLU(), nn.Linear(16, 8));
}
