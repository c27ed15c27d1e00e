using System.Globalization;
using System.Text.Json;
using Graft.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using Adam = Graft.Training.Optimizers.Adam;
using AdamW = Graft.Training.Optimizers.AdamW;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

[Collection("Training")]
public class OptimizerTests
{
    private const int Steps = 6;

    // The same parameters and prescribed gradients on both sides; group "a" changes its rate after step 3.
    private const string OracleScript = """
        import math, json, torch
        def params():
            w1 = torch.tensor([math.sin(0.3 * i + 0.1) for i in range(12)], dtype=torch.float32).reshape(3, 4).requires_grad_()
            w2 = torch.tensor([math.cos(0.7 * i) for i in range(5)], dtype=torch.float32).requires_grad_()
            return w1, w2
        def grads(t):
            g1 = torch.tensor([math.sin(0.5 * i * t + 0.2 * t) for i in range(12)], dtype=torch.float32).reshape(3, 4)
            g2 = torch.tensor([0.5 * math.cos(0.9 * i + t) for i in range(5)], dtype=torch.float32)
            return g1, g2
        def run(make):
            w1, w2 = params()
            opt = make([{'params': [w1], 'lr': 0.01, 'weight_decay': 0.05}, {'params': [w2], 'lr': 0.003, 'weight_decay': 0.0}])
            for t in range(1, STEPS + 1):
                if t == 4: opt.param_groups[0]['lr'] = 0.02
                g1, g2 = grads(t)
                w1.grad = g1; w2.grad = g2
                opt.step()
            return w1.detach().flatten().tolist() + w2.detach().tolist()
        out = {
          'adam': run(lambda g: torch.optim.Adam(g, betas=(0.9, 0.999), eps=1e-8)),
          'adamw': run(lambda g: torch.optim.AdamW(g, betas=(0.85, 0.99), eps=1e-7)),
          'sgd_nesterov': run(lambda g: torch.optim.SGD(g, lr=0.1, momentum=0.9, nesterov=True)),
          'sgd_dampened': run(lambda g: torch.optim.SGD(g, lr=0.1, momentum=0.8, dampening=0.1)),
        }
        print(json.dumps(out))
        """;

    private static readonly Lazy<Dictionary<string, float[]>> Oracle = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, float[]>>(PyTorchOracle.Run(OracleScript.Replace("STEPS", Steps.ToString(CultureInfo.InvariantCulture))))!);

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd_nesterov")]
    [InlineData("sgd_dampened")]
    public void MatchesPyTorchWithGroupsWeightDecayAndARateChange(string name)
    {
        var (w1, w2) = Params();
        var groups = new[]
        {
            new ParameterGroup("a", [("w1", w1)], learningRate: 0.01, weightDecay: 0.05),
            new ParameterGroup("b", [("w2", w2)], learningRate: 0.003),
        };
        using Optimizer optimizer = name switch
        {
            "adam" => new Adam(groups),
            "adamw" => new AdamW(groups, beta1: 0.85, beta2: 0.99, epsilon: 1e-7),
            "sgd_nesterov" => new Sgd(groups, momentum: 0.9, nesterov: true),
            _ => new Sgd(groups, momentum: 0.8, dampening: 0.1),
        };
        for (int t = 1; t <= Steps; t++)
        {
            if (t == 4) optimizer.Groups[0].LearningRate = 0.02;
            var (g1, g2) = Grads(t);
            w1.grad = g1;
            w2.grad = g2;
            optimizer.Step();
        }
        float[] ours = [.. w1.detach().flatten().data<float>().ToArray(), .. w2.detach().data<float>().ToArray()];
        float[] expected = Oracle.Value[name];
        Assert.Equal(expected.Length, ours.Length);
        // float32 with the same operation order as torch.optim: agreement to a few ulps.
        for (int i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - expected[i]) <= 2e-6 + 1e-6 * Math.Abs(expected[i]), $"{name}[{i}]: {ours[i]} vs PyTorch {expected[i]}");
        Assert.False(ours.SequenceEqual(Initial()), "the parameters must have moved");
    }

    [Fact]
    public void ZeroGradInPlaceKeepsTrainableBuffersReservesAdamStateAndDropsFrozenGradients()
    {
        var (w1, w2) = Params();
        using var optimizer = new AdamW([new ParameterGroup("all", [("w1", w1), ("w2", w2)], 0.01, weightDecay: 0.1)]);
        w2.requires_grad = false;
        w2.grad = ones_like(w2);

        optimizer.ZeroGradInPlace();
        var buffer = w1.grad!;
        Assert.True(buffer.eq(0).all().item<bool>());
        Assert.Null(w2.grad);
        Assert.Equal(0, optimizer.StateFor(w1)!.Step);
        Assert.Equal(["exp_avg", "exp_avg_sq"], optimizer.StateFor(w1)!.Slots.Keys.Order());
        Assert.Null(optimizer.StateFor(w2));

        // The next call zeroes the same storage instead of making new gradients.
        using (no_grad()) buffer.fill_(3);
        optimizer.ZeroGradInPlace();
        Assert.True(buffer.eq(0).all().item<bool>()); // the old handle sees the zeros: same storage

        // A zero gradient still moves the weights by weight decay (PyTorch 1.x's zero_grad default).
        var before = w1.detach().clone();
        optimizer.Step();
        Assert.False(Bits.Same(w1.detach(), before));
    }

    [Fact]
    public void SkipsFrozenParametersEntirelyAndDropsTheirStaleGradients()
    {
        var (w1, w2) = Params();
        using var optimizer = new Adam([new ParameterGroup("all", [("w1", w1), ("w2", w2)], 0.01, weightDecay: 0.1)]);
        var (g1, g2) = Grads(1);
        w1.grad = g1;
        w2.grad = g2;
        optimizer.Step();
        var frozenBefore = w2.detach().clone();
        var stateBefore = optimizer.StateFor(w2)!.Slots["exp_avg"].clone();
        long stepBefore = optimizer.StateFor(w2)!.Step;

        // Freeze w2 while it still holds a gradient and momentum: nothing about it may change, not even by weight decay.
        w2.requires_grad = false;
        var w1Before = w1.detach().clone();
        optimizer.Step();
        Assert.True(Bits.Same(w2.detach(), frozenBefore));
        Assert.Null(w2.grad);
        Assert.True(Bits.Same(optimizer.StateFor(w2)!.Slots["exp_avg"], stateBefore));
        Assert.Equal(stepBefore, optimizer.StateFor(w2)!.Step);
        Assert.False(Bits.Same(w1.detach(), w1Before));

        // Unfreezing takes effect at the next step, continuing from the kept state.
        w2.requires_grad = true;
        w2.grad = g2;
        optimizer.Step();
        Assert.False(Bits.Same(w2.detach(), frozenBefore));
        Assert.Equal(stepBefore + 1, optimizer.StateFor(w2)!.Step);
    }

    [Fact]
    public void StateRoundTripsAndRejectsForeignParameters()
    {
        var (w1, w2) = Params();
        using var optimizer = new Sgd([new ParameterGroup("all", [("w1", w1), ("w2", w2)], 0.1)], momentum: 0.9);
        var (g1, g2) = Grads(1);
        w1.grad = g1;
        w2.grad = g2;
        optimizer.Step();
        using var state = optimizer.GetState();
        Assert.Equal(["w1.momentum_buffer", "w2.momentum_buffer"], state.Tensors.Keys.Order());

        var (v1, v2) = Params();
        using var copy = new Sgd([new ParameterGroup("all", [("w1", v1), ("w2", v2)], 0.5)], momentum: 0.9);
        copy.LoadState(state);
        Assert.Equal(0.1, copy.Groups[0].LearningRate);
        Assert.True(Bits.Same(copy.StateFor(v1)!.Slots["momentum_buffer"], state.Tensors["w1.momentum_buffer"]));

        var (u1, _) = Params();
        using var other = new Sgd([new ParameterGroup("all", [("u", u1)], 0.5)], momentum: 0.9);
        var error = Assert.Throws<ArgumentException>(() => other.LoadState(state));
        Assert.Contains("'w1'", error.Message);
    }

    [Fact]
    public void ClippingScalesToTheGlobalNormAndIgnoresFrozenParameters()
    {
        var (w1, w2) = Params();
        w1.grad = full([3, 4], 3f);
        w2.grad = full([5], 4f);
        // ||g|| = sqrt(12·9 + 5·16) = sqrt(188)
        double norm = GradientClipping.ClipByGlobalNorm([w1, w2], 1.0);
        Assert.Equal(Math.Sqrt(188), norm, 5);
        double clipped = Math.Sqrt(w1.grad!.square().sum().item<float>() + w2.grad!.square().sum().item<float>());
        Assert.Equal(1.0, clipped, 4);

        w2.requires_grad = false;
        w1.grad = full([3, 4], 3f);
        Assert.Equal(Math.Sqrt(108), GradientClipping.ClipByGlobalNorm([w1, w2], 100), 5);
    }

    private static float[] Initial() =>
        [.. Enumerable.Range(0, 12).Select(i => (float)Math.Sin(0.3 * i + 0.1)), .. Enumerable.Range(0, 5).Select(i => (float)Math.Cos(0.7 * i))];

    private static (Parameter W1, Parameter W2) Params()
    {
        var init = Initial();
        return (new Parameter(tensor(init[..12], [3, 4])), new Parameter(tensor(init[12..])));
    }

    private static (Tensor G1, Tensor G2) Grads(int t) =>
        (tensor(Enumerable.Range(0, 12).Select(i => (float)Math.Sin(0.5 * i * t + 0.2 * t)).ToArray(), [3, 4]),
         tensor(Enumerable.Range(0, 5).Select(i => (float)(0.5 * Math.Cos(0.9 * i + t))).ToArray()));
}
