using System.Text;
using Graft.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Text;

/// <summary>The pieces together, as the training engine will use them: CSV → split → vocabulary → vectors of the
/// vocabulary only → embedding matrix → frozen-embedding model → batches → a few optimizer steps.</summary>
public class TextPipelineTests
{
    [Fact]
    public void FrozenGloVeFeaturesLearnAToySentimentTask()
    {
        using var folder = new TempFolder();
        // Two-dimensional "GloVe" where positive words point one way and negative words the other.
        string vectors = folder.Write("toy.glove.txt.gz",
            "good 1 0.1\ngreat 0.9 0.2\nfine 0.8 -0.1\nbad -1 0.1\nawful -0.9 0\npoor -0.8 0.2\nthe 0 1\nfilm 0.05 0.9\nunused 3 3\n", gzip: true);
        var csv = new StringBuilder("text,label\n");
        string[] positive = ["good", "great", "fine"], negative = ["bad", "awful", "poor"];
        for (int i = 0; i < 60; i++)
        {
            bool isPositive = i % 2 == 0;
            string[] words = isPositive ? positive : negative;
            csv.Append($"\"The film, {words[i % 3]}; {words[(i / 3) % 3]}!\",{(isPositive ? "pos" : "neg")}\n");
        }
        var data = TextCsvReader.Read(folder.Write("reviews.csv", csv.ToString()));
        var (train, validation) = data.StratifiedSplit(0.25, seed: 1);
        Assert.Equal([8, 8], validation.ClassCounts()); // 30 per class × 0.25 = 7.5, rounded up

        var tokenizer = new Tokenizer();
        var vocabulary = Vocabulary.Build(train.Texts, tokenizer);
        var wordVectors = WordVectors.Load(vectors, new WordVectorReadOptions { Keep = vocabulary.Words });
        Assert.DoesNotContain("unused", wordVectors.Words);
        var matrix = EmbeddingMatrix.Build(wordVectors, vocabulary, new EmbeddingMatrixOptions { Seed = 1 });
        Assert.Equal(1.0, matrix.Coverage.WordShare);

        var encoder = new TextEncoder(tokenizer, vocabulary, maxLength: 8);
        var encodedTrain = train.Encode(encoder);
        torch.manual_seed(1);
        using var model = new PooledTextClassifier(matrix, data.Classes.Count, new PooledTextClassifierOptions { Dropout = 0 });
        var embeddingBefore = model.Embedding.weight!.data<float>().ToArray();
        using var optimizer = torch.optim.Adam(model.parameters().Where(p => p.requires_grad), lr: 0.1);
        model.train();
        for (int epoch = 0; epoch < 30; epoch++)
        {
            foreach (var (indices, labels) in encodedTrain.Batches(16, shuffle: true, seed: epoch))
            {
                using var batchIndices = indices;
                using var batchLabels = labels;
                using var step = torch.NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.call(indices), labels).backward();
                optimizer.step();
            }
        }

        model.eval();
        var (validationIndices, validationLabels) = validation.Encode(encoder).ToTensors();
        using (validationIndices)
        using (validationLabels)
        using (torch.no_grad())
        using (var predictions = model.call(validationIndices).argmax(1))
        {
            Assert.Equal(validationLabels.data<long>().ToArray(), predictions.data<long>().ToArray());
        }
        Assert.Equal(embeddingBefore, model.Embedding.weight!.data<float>().ToArray()); // frozen: feature extraction
    }
}
