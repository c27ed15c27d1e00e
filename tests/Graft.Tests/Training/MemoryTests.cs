using Graft.Data;
using Graft.Training;
using Xunit.Abstractions;

namespace Graft.Tests.Training;

[Collection("Training")]
public class MemoryTests(ITestOutputHelper output)
{
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    [Fact]
    public void TwoHundredTrainingStepsHoldNativeMemorySteady()
    {
        var (x, shapes) = Shapes.Generate(320, seed: 91);
        var (vx, vshapes) = Shapes.Generate(64, seed: 92);
        var network = TinyCnn.Create(3, seed: 3, dropout: 0.1);
        using var learner = new Learner(network, new TensorBatchSource(x, Shapes.Family(shapes), 16, seed: 1),
            new TensorBatchSource(vx, Shapes.Family(vshapes), 32, shuffle: false), options: new TrainOptions { ClipGradientNorm = 5 });
        long afterWarmUp = 0, steps = 0;
        learner.StepEnded += (_, _) =>
        {
            if (++steps == 40) afterWarmUp = ResidentBytes();
        };

        learner.Fit(12); // 20 steps per epoch: 240 steps, 200 after the warm-up, with validation each epoch

        long growth = ResidentBytes() - afterWarmUp;
        output.WriteLine($"RSS after warm-up {afterWarmUp / 1e6:F1} MB, growth over 200 steps {growth / 1e6:F1} MB");
        Assert.Equal(240, steps);
        Assert.True(growth < 30_000_000, $"resident memory grew by {growth / 1e6:F1} MB over 200 steps");
    }
}
