using BarlowTwins.Evaluation;
using BarlowTwins.Experiments;
using BarlowTwins.Loss;
using BarlowTwins.Models;
using BarlowTwins.Tests.Support;

namespace BarlowTwins.Tests.Experiments;

public class AblationTests
{
    public AblationTests() => Torch.Ensure();

    [Fact]
    public void PlanCoversThePapersStudiesAroundTheBaseline()
    {
        var cases = AblationPlan.Cases(new AblationOptions { Projector = ProjectorSpec.Parse("512-512-512"), BatchSize = 256 });
        Assert.Equal(3 + 4 + 3 + 4, cases.Count);
        Assert.Contains(cases, c => c.Loss == LossVariant.InvarianceOnly && c.Lambda == RedundancyWeight.Of(0));
        Assert.Contains(cases, c => c.Loss == LossVariant.RedundancyOnly);
        Assert.Contains(cases, c => c.Group == "lambda" && c.Lambda.IsAuto);
        Assert.Equal(["128-128-128", "512-512-512", "2048-2048-2048"],
                     cases.Where(c => c.Group == "projector").Select(c => c.Projector.ToString()));
        Assert.Equal([64, 128, 256, 512], cases.Where(c => c.Group == "batch").Select(c => c.BatchSize));
        Assert.Throws<ArgumentException>(() => AblationPlan.Cases(new AblationOptions { Groups = ["colour"] }));
    }

    [Fact]
    public void EqualSettingsShareOneRunAndUnsupportedCasesAreReported()
    {
        var cases = AblationPlan.Cases(new AblationOptions { Groups = ["loss", "batch"] });
        int pretrained = 0;
        var rows = Ablation.Run(cases,
            c =>
            {
                if (c.Loss == LossVariant.RedundancyOnly) throw new NotSupportedException("trainer has no redundancy-only loss");
                pretrained++;
                return new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 2));
            },
            _ => FakeResult(50 + pretrained));
        // 7 cases; "full loss" and "batch 256" are the same configuration: 5 trainings, 1 unsupported.
        Assert.Equal(7, rows.Count);
        Assert.Equal(5, pretrained);
        var redundancy = rows.Single(r => r.Case.Loss == LossVariant.RedundancyOnly);
        Assert.Null(redundancy.Top1);
        Assert.Contains("redundancy-only", redundancy.Note);
        var batch256 = rows.Single(r => r.Case.Group == "batch" && r.Case.BatchSize == 256);
        Assert.Equal(rows[0].Top1, batch256.Top1);
        Assert.Contains("same run", batch256.Note);
        var markdown = Ablation.Markdown(rows, new AblationOptions());
        Assert.Contains("| loss | redundancy only | — | — |", markdown);
        Assert.Equal(7 + 2, markdown.Split('\n').Count(l => l.StartsWith('|')));
    }

    private static ProbeResult FakeResult(double top1) =>
        new(new TopKAccuracy(top1, 99), new TopKAccuracy(top1, 99), 1, [], new ConfusionMatrix(["a"]), 0);

    [Fact]
    public void ASmallTestSplitIsToldBeforeThePretrainingAndRecordedInTheJson()
    {
        using var temp = new TempFolder();
        var options = new AblationOptions { Data = "synthetic?count=40&size=8", ProbeEpochs = 1, Out = temp.Path };
        var log = new List<string>();
        int pretrained = 0;
        Ablation.RunAndWrite(options, (c, _) =>
        {
            Assert.Contains(log, line => line.StartsWith("warning: the test split has only", StringComparison.Ordinal)); // before the first run
            pretrained++;
            return SemiSupervised.Fresh(new ResNetOptions(ResNetArchitecture.ResNet18, 3, CifarStem: true, Width: 2), seed: 0);
        }, log: log.Add);
        Assert.True(pretrained > 0);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(temp.Path, "ablation.json")))!;
        Assert.StartsWith("the test split has only", json["warnings"]![0]!.GetValue<string>());
    }

    [Fact]
    public void RunsStartFromThePresetOverlaidWithTheConfigAndDropTheInvarianceTermWhenAsked()
    {
        using var temp = new TempFolder();
        string root = temp.Path;
        string config = Path.Combine(root, "tiny.json");
        File.WriteAllText(config, """{"width": 2, "image-size": 8, "warmup-epochs": 0}""");
        var options = new AblationOptions
        {
            Data = "synthetic?count=16&size=8&channels=1",
            Epochs = 1,
            Projector = ProjectorSpec.Parse("16-16"),
            BatchSize = 8,
            Out = root,
            Config = config,
        };
        var redundancyOnly = AblationPlan.Cases(options).Single(c => c.Loss == LossVariant.RedundancyOnly);
        string run = Path.Combine(root, "run");
        using var backbone = AblationPretraining.Pretrain(redundancyOnly, options, run);
        Assert.Equal(2 * 8, backbone.FeatureDim);   // ResNet-18's last stage has 8 × width channels
        var saved = BarlowTwins.Training.Options.PretrainOptionsJson.Load(new BarlowTwins.Training.RunFolder(run).Config);
        Assert.Equal((0.0, 1, (double?)null, 8), (saved.InvarianceWeight, saved.Epochs, saved.Minutes, saved.ImageSize));
        Assert.Contains("overlaid with {\"width\": 2", Ablation.Markdown([], options));
        // Its steps are logged as barlow pretrain logs them (the loss curve, RSS per epoch).
        Assert.NotEmpty(BarlowTwins.Training.Output.MetricsLog.ReadLoss(run));
        Assert.Contains("\"rss_mb\"", File.ReadAllText(new BarlowTwins.Training.RunFolder(run).Metrics));

        // The finished run is reused for the same options, and refused for others (a width-3
        // config in the same folder must not borrow the width-2 run).
        using (var again = AblationPretraining.Pretrain(redundancyOnly, options, run))
            Assert.Equal(16, again.FeatureDim);
        File.WriteAllText(config, """{"width": 3, "image-size": 8, "warmup-epochs": 0}""");
        var refused = Assert.Throws<InvalidOperationException>(() => AblationPretraining.Pretrain(redundancyOnly, options, run));
        Assert.Contains("width (checkpoint: 2, now: 3)", refused.Message);
    }
}
