using System.Text.Json;
using BarlowTwins.Optim;
using BarlowTwins.Tests.Support;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Tests.Optim;

/// <summary>Three LARS steps on a small BN network against the authors' optimizer in PyTorch.</summary>
public class LarsTests(ITestOutputHelper output)
{
    // Gradients and updates are float32 on a different BLAS: a few ulps per step, which the
    // trust ratio (a quotient of two norms) and momentum carry into later steps.
    private const double Tolerance = 2e-5;     // max abs error / max |reference|, per tensor
    private const double NearZeroFloor = 1e-6; // absolute, for tensors whose reference is ≈ 0

    public static TheoryData<string> Cases() => ["typical", "zero_init_w2", "large_wd_0.05"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThreeStepsMatchReference(string name)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var fixture = SharedFixtures.Manifest.GetProperty("lars").GetProperty(name);
        var hyper = fixture.GetProperty("hyper");
        var net = new SmallNet();
        var parameters = net.Named();
        using (no_grad())
            foreach (var (key, p) in parameters) p.copy_(SharedFixtures.Load(fixture.GetProperty("initial").GetProperty(key)));

        var groups = ParameterGroups.Of(net.parameters());
        AssertGroupsMatch(fixture, parameters, groups);
        using var lars = new Lars(groups, new LarsOptions(hyper.GetProperty("weight_decay").GetDouble(),
                                                          hyper.GetProperty("momentum").GetDouble(),
                                                          hyper.GetProperty("eta").GetDouble()));
        lars.SetLearningRates(hyper.GetProperty("lr_group0_weights").GetDouble(), hyper.GetProperty("lr_group1_biases").GetDouble());
        var x = SharedFixtures.Load(fixture.GetProperty("x"));
        var y = SharedFixtures.Load(fixture.GetProperty("y"));

        double worst = 0;
        int stepIndex = 0;
        foreach (var step in fixture.GetProperty("steps").EnumerateArray())
        {
            lars.ZeroGrad();
            var loss = functional.mse_loss(net.call(x), y);
            Assert.True(Compare.Relative(loss.item<float>(), step.GetProperty("loss_before_step").GetDouble()) < Tolerance);
            loss.backward();
            foreach (var (key, p) in parameters) worst = Math.Max(worst, Check($"step{stepIndex} grad {key}", p.grad!, step.GetProperty("grad").GetProperty(key)));
            lars.Step();
            var state = lars.State();
            int index = 0;
            foreach (var p in groups.All)
            {
                var key = parameters.Single(kv => ReferenceEquals(kv.Value, p)).Key;
                worst = Math.Max(worst, Check($"step{stepIndex} param {key}", p, step.GetProperty("param_after").GetProperty(key)));
                worst = Math.Max(worst, Check($"step{stepIndex} momentum {key}", state[$"momentum.{index++}"], step.GetProperty("mu_after").GetProperty(key)));
            }
            stepIndex++;
        }
        output.WriteLine($"{name}: largest relative error over grads, parameters and momenta: {worst:E2}");
    }

    private double Check(string what, Tensor actual, JsonElement reference)
    {
        var expected = SharedFixtures.Load(reference);
        double scale = expected.abs().max().item<float>();
        double error = scale < NearZeroFloor ? Compare.AbsoluteMax(actual, expected) : Compare.RelativeMax(actual, expected);
        Assert.True(error < (scale < NearZeroFloor ? NearZeroFloor : Tolerance), $"{what}: error {error}");
        return scale < NearZeroFloor ? 0 : error;
    }

    private static void AssertGroupsMatch(JsonElement fixture, Dictionary<string, Parameter> parameters, ParameterGroups groups)
    {
        foreach (var group in fixture.GetProperty("group_of_param").EnumerateObject())
        {
            var p = parameters[group.Name];
            bool inWeights = groups.Weights.Any(w => ReferenceEquals(w, p));
            Assert.Equal(group.Value.GetInt32() == 0, inWeights);
        }
    }

    [Fact]
    public void ZeroNormsFallBackToATrustRatioOfOne()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var w = new Parameter(zeros(2, 2));
        w.grad = full(2, 2, 0.5f);
        using var lars = new Lars(new ParameterGroups([w], []), new LarsOptions(WeightDecay: 0));
        lars.SetLearningRates(1.0, 1.0);
        lars.Step();
        // ‖w‖ = 0 → q = 1: the step is the raw gradient, not 0 and not NaN.
        Assert.Equal(-0.5f, w[0, 0].item<float>());
    }

    private sealed class SmallNet : Module<Tensor, Tensor>
    {
        private readonly Linear lin1 = Linear(6, 5);
        private readonly BatchNorm1d bn = BatchNorm1d(5);
        private readonly Linear lin2 = Linear(5, 3);

        public SmallNet() : base(nameof(SmallNet)) => RegisterComponents();

        public override Tensor forward(Tensor x) => lin2.call(functional.relu(bn.call(lin1.call(x))));

        public Dictionary<string, Parameter> Named() => new()
        {
            ["lin1_weight"] = lin1.weight!,
            ["lin1_bias"] = lin1.bias!,
            ["bn_weight"] = bn.weight!,
            ["bn_bias"] = bn.bias!,
            ["lin2_weight"] = lin2.weight!,
            ["lin2_bias"] = lin2.bias!,
        };
    }
}
