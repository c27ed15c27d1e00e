using Graft.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Native;

public class TorchRuntimeTests
{
    [Fact]
    public void LibTorchLoadsAndComputes()
    {
        using var a = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = a.matmul(a.t());
        Assert.Equal(new float[] { 5, 14, 14, 50 }, b.data<float>().ToArray());
        Assert.Equal(DeviceType.CPU, Compute.Device.type);
    }

    [Fact]
    public void ASmallNetworksLossFallsOver50OptimizerSteps()
    {
        torch.manual_seed(42);
        var generator = new torch.Generator(42);
        using var x = torch.randn(new long[] { 64, 4 }, generator: generator);
        using var w = torch.tensor(new float[] { 1.5f, -2f, 0.5f, 3f }).reshape(4, 1);
        using var y = x.matmul(w) + 0.1f * torch.randn(new long[] { 64, 1 }, generator: generator);
        var model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1));
        var optimizer = optim.Adam(model.parameters(), 0.01);
        float first = 0, last = 0;
        for (int step = 0; step < 50; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.2f, $"loss went from {first} to {last}; expected a fall of at least 80%");
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        // f(w) = sum(tanh(x @ w) ^ 2) in float64; central differences with h = 1e-6 agree to ~1e-8.
        var generator = new torch.Generator(3);
        using var x = torch.randn(new long[] { 5, 3 }, dtype: ScalarType.Float64, generator: generator);
        using var w = torch.randn(new long[] { 3, 2 }, dtype: ScalarType.Float64, generator: generator).requires_grad_();
        Func<Tensor, Tensor> f = weights => torch.tanh(x.matmul(weights)).pow(2).sum();
        f(w).backward();
        var analytic = w.grad!.data<double>().ToArray();

        const double h = 1e-6;
        using var noGrad = torch.no_grad();
        var flat = w.detach().clone();
        var numeric = new double[flat.numel()];
        for (int i = 0; i < numeric.Length; i++)
        {
            using var plus = flat.clone();
            using var minus = flat.clone();
            plus.view(-1)[i] += h;
            minus.view(-1)[i] -= h;
            numeric[i] = (f(plus).item<double>() - f(minus).item<double>()) / (2 * h);
        }
        for (int i = 0; i < numeric.Length; i++)
            Assert.True(Math.Abs(analytic[i] - numeric[i]) < 1e-7, $"d/dw[{i}]: autograd {analytic[i]}, finite difference {numeric[i]}");
    }
}
