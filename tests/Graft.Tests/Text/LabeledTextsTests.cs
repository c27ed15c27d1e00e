using Graft.Text;

namespace Graft.Tests.Text;

public class LabeledTextsTests
{
    // 50 of class 0, 30 of class 1, 19 of class 2, 1 of class 3.
    private static LabeledTexts Sample()
    {
        var labels = Enumerable.Repeat(0, 50).Concat(Enumerable.Repeat(1, 30)).Concat(Enumerable.Repeat(2, 19)).Append(3).ToArray();
        var texts = labels.Select((l, i) => $"text {i} of {l}").ToArray();
        return new LabeledTexts(texts, labels, ["a", "b", "c", "d"]);
    }

    [Fact]
    public void StratifiedSplitKeepsClassProportions()
    {
        var (train, validation) = Sample().StratifiedSplit(0.2, seed: 42);
        Assert.Equal([10, 6, 4, 0], validation.ClassCounts()); // 19 × 0.2 = 3.8 → 4; a lone text stays in training
        Assert.Equal([40, 24, 15, 1], train.ClassCounts());
        Assert.Empty(train.Texts.Intersect(validation.Texts));
        Assert.Equal(100, train.Count + validation.Count);
        Assert.Equal(Sample().Classes, validation.Classes);
    }

    [Fact]
    public void StratifiedSplitIsSeededAndKeepsFileOrder()
    {
        var data = Sample();
        var first = data.StratifiedSplit(0.3, seed: 1).Validation.Texts;
        Assert.Equal(first, data.StratifiedSplit(0.3, seed: 1).Validation.Texts);
        Assert.NotEqual(first, data.StratifiedSplit(0.3, seed: 2).Validation.Texts);
        var positions = first.Select(t => int.Parse(t.Split(' ')[1])).ToArray();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void RejectsFractionsOutsideZeroToOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample().StratifiedSplit(1.0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample().StratifiedSplit(double.NaN, 0));
    }

    [Fact]
    public void EncodedBatchesHaveIndexAndLabelShapesAndCoverEveryText()
    {
        var data = new LabeledTexts(["a b", "b c d", "e", "a a a a a a"], [0, 1, 1, 0], ["x", "y"]);
        var encoder = new TextEncoder(new Tokenizer(), Vocabulary.Build(data.Texts, new Tokenizer()), 4);
        var encoded = data.Encode(encoder);
        Assert.Equal((4, 4), (encoded.Count, encoded.SequenceLength));

        var seen = new List<long>();
        var sizes = new List<long>();
        foreach (var (indices, labels) in encoded.Batches(3, shuffle: true, seed: 5))
        {
            using (indices)
            using (labels)
            {
                Assert.Equal(TorchSharp.torch.ScalarType.Int64, indices.dtype);
                Assert.Equal([labels.shape[0], 4L], indices.shape);
                sizes.Add(labels.shape[0]);
                // Identify each row by its first index (unique in this set) to check the labels travel with it.
                var rows = indices.data<long>().ToArray();
                var batchLabels = labels.data<long>().ToArray();
                for (int i = 0; i < batchLabels.Length; i++)
                {
                    int original = Enumerable.Range(0, 4).Single(r => encoded.Indices.Slice(r * 4, 4).SequenceEqual(rows.AsSpan(i * 4, 4)));
                    Assert.Equal(data.Labels[original], batchLabels[i]);
                    seen.Add(original);
                }
            }
        }
        Assert.Equal([3L, 1], sizes);
        Assert.Equal([0L, 1, 2, 3], seen.Order());
        var full = encoded.Batches(3, shuffle: false, dropLast: true).ToList();
        Assert.Single(full);
        full[0].Indices.Dispose();
        full[0].Labels.Dispose();
    }
}
