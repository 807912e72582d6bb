// Pre-train a small ResNet-18 for a few steps on a folder of images, embed them, classify by k-NN.
// Usage: dotnet run -- FOLDER [RUN]   (FOLDER: one sub-folder of images per class; RUN: where the run goes)
using BarlowTwins.Evaluation;
using BarlowTwins.Models;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using TorchSharp;

if (args.Length is < 1 or > 2) { Console.Error.WriteLine("usage: LibraryQuickStart FOLDER [RUN]"); return 2; }
string data = $"folder:{args[0]}", run = args.Length > 1 ? args[1] : "runs/quickstart";
torch.InitializeDeviceType(DeviceType.CPU);

// 1. Pre-train (labels unused): the CIFAR recipe shrunk to seconds on a CPU.
var options = PretrainPresets.Cifar with
{
    Data = data, Out = run, ImageSize = 32, Width = 16, Projector = ProjectorSpec.Parse("256-256-256"),
    BatchSize = 8, Epochs = 2, WarmupEpochs = 0.5, MaxSteps = 4,
};
using (var trainer = new Pretrainer(options, PretrainingData.Open(options, Console.WriteLine), observers: []))
{
    var progress = trainer.Run();
    Console.WriteLine($"pre-trained {progress.GlobalStep} steps");
}

// 2. Embed both splits with the trained backbone (run/backbone.dat).
var backbone = EvalBackbone.FromRun(run, dataChannels: 3);
var splits = ProbeData.Open(data, options.Augment, torch.CPU);
using var train = FeatureExtractor.Extract(backbone.Network, splits.Train, splits.EvalTransform, torch.CPU);
using var test = FeatureExtractor.Extract(backbone.Network, splits.Test, splits.EvalTransform, torch.CPU);
Console.WriteLine($"embeddings: train {train.Count} × {train.Dimension}, test {test.Count} × {test.Dimension}");

// 3. k-NN: each test image takes the vote of its nearest training images.
var knn = Knn.Classify(train, test, new KnnOptions(K: 5));
Console.WriteLine($"k-NN top-1 on {test.Count} test images: {knn.Accuracy.Top1:F1} %");
return 0;
