using Graft.Data;

namespace Graft.Tests.Data;

public class DatasetSplitsTests
{
    /// <summary>Labels only: 3 classes with 10, 20 and 5 samples; pixels are never read.</summary>
    private static InMemoryImages Labelled()
    {
        int[] labels = [.. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(1, 20), .. Enumerable.Repeat(2, 5)];
        labels = labels.Select((l, i) => labels[(i * 11) % labels.Length]).ToArray(); // interleave the classes
        return new InMemoryImages(new byte[labels.Length * 4], labels.Length, 2, 2, 1, labels, ["a", "b", "c"], "toy");
    }

    [Fact]
    public void TrainValidationSplitIsStratifiedDisjointCompleteAndSeeded()
    {
        InMemoryImages data = Labelled();
        var (train, validation) = data.SplitTrainValidation(0.2, seed: 42);

        Assert.Equal([2, 4, 1], validation.CountPerClass());
        Assert.Equal([8, 16, 4], train.CountPerClass());
        Assert.Empty(train.SourceIndices.Intersect(validation.SourceIndices));
        Assert.Equal(Enumerable.Range(0, data.Count), train.SourceIndices.Concat(validation.SourceIndices).Order());

        var (_, again) = data.SplitTrainValidation(0.2, seed: 42);
        Assert.Equal(validation.SourceIndices, again.SourceIndices);
        var (_, other) = data.SplitTrainValidation(0.2, seed: 43);
        Assert.NotEqual(validation.SourceIndices, other.SourceIndices);

        Assert.Equal(validation.SourceIndices, data.Subset(0.2, DataSubset.Validation, 42).SourceIndices);
        Assert.Equal(train.SourceIndices, data.Subset(0.2, DataSubset.Training, 42).SourceIndices);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.SplitTrainValidation(1.0, 0));
    }

    [Fact]
    public void FewShotTakesKPerClassBySeed()
    {
        InMemoryImages data = Labelled();
        SourceView shots = data.FewShot(3, seed: 7);

        Assert.Equal([3, 3, 3], shots.CountPerClass());
        Assert.Equal(shots.SourceIndices, data.FewShot(3, seed: 7).SourceIndices);
        Assert.NotEqual(shots.SourceIndices, data.FewShot(3, seed: 8).SourceIndices);
        var error = Assert.Throws<InvalidOperationException>(() => data.FewShot(6, seed: 0));
        Assert.Contains("Class 'c' has 5 sample(s)", error.Message);
    }

    [Fact]
    public void SelectClassesRelabelsInTheGivenOrder()
    {
        InMemoryImages data = Labelled();
        SourceView picked = data.SelectClasses("c", "a");

        Assert.Equal(["c", "a"], picked.ClassNames);
        Assert.Equal([5, 10], picked.CountPerClass());
        for (int i = 0; i < picked.Count; i++)
            Assert.Equal(data.GetLabel(picked.SourceIndices[i]) == 2 ? 0 : 1, picked.GetLabel(i));

        Assert.Contains("selected twice", Assert.Throws<ArgumentException>(() => data.SelectClasses(1, 1)).Message);
        Assert.Contains("No class named 'z'", Assert.Throws<ArgumentException>(() => data.SelectClasses("z")).Message);
    }
}
