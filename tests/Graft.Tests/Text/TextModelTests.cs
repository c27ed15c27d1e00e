using Graft.Layers;
using Graft.Text;
using Graft.Training;
using Graft.Training.Strategies;
using Graft.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Graft.Tests.Text;

/// <summary>A trained text model saved to one file, loaded back with nothing else, and used on raw texts.</summary>
[Collection("Training")]
public class TextModelTests(ITestOutputHelper output)
{
    private static readonly TokenizerOptions Unusual = new() { Lowercase = false, Punctuation = PunctuationHandling.Keep };

    /// <summary>A small pooled model trained by feature extraction on <see cref="TopicCorpus"/>, with a tokenizer and
    /// sequence settings that differ from the defaults, so that a load which forgot them would predict differently.</summary>
    private static TextModel Trained(TempFolder folder, string? bestModelPath = null)
    {
        var corpus = new TopicCorpus();
        var vectors = WordVectors.Load(corpus.WriteVectors(folder.File("topics.glove.txt")));
        var train = corpus.Texts(16, seed: 11);
        var tokenizer = new Tokenizer(Unusual);
        var vocabulary = Vocabulary.Build(train.Texts, tokenizer);
        var encoder = new TextEncoder(tokenizer, vocabulary, maxLength: 9, truncation: SequenceEnd.Start, padding: SequenceEnd.Start);
        torch.manual_seed(11);
        var classifier = new PooledTextClassifier(EmbeddingMatrix.Build(vectors, vocabulary), TopicCorpus.Topics.Length,
            new PooledTextClassifierOptions { HiddenUnits = 8 });
        var model = new TextModel(classifier, encoder, train.Classes);
        var validation = new TextBatchSource(corpus.Texts(4, seed: 12).Encode(encoder), batchSize: 64, shuffle: false);
        using var learner = new Learner(classifier, new TextBatchSource(train.Encode(encoder), batchSize: 16, seed: 11), validation,
            options: new TrainOptions { LearningRate = 1e-2, Seed = 11, BestModelPath = bestModelPath, ModelInfo = model.Info });
        learner.Run(new FeatureExtraction(Epochs: 30));
        return model;
    }

    [Fact]
    public void ASavedTextModelLoadsWithNothingElseAndPredictsTheSame()
    {
        using var folder = new TempFolder();
        using var model = Trained(folder);
        string path = folder.File("model.safetensors");
        model.Save(path);
        var texts = new TopicCorpus().Texts(10, seed: 13).Texts;

        Assert.True(TextModel.IsTextModel(path));
        var metadata = SafeTensors.ReadHeader(path).Metadata;
        Assert.Contains(TextEncoder.VocabularyKey, metadata.Keys);
        Assert.Equal("false", metadata[TokenizerOptions.MetadataPrefix + "lowercase"]);
        Assert.Equal("PooledTextClassifier", metadata["graft.architecture"]);
        using var loaded = TextModel.Load(path);

        Assert.Equal(model.Classes, loaded.Classes);
        Assert.Equal(Unusual, loaded.Encoder.Tokenizer.Options);
        Assert.Equal((9, SequenceEnd.Start, SequenceEnd.Start), (loaded.Encoder.MaxLength, loaded.Encoder.Truncation, loaded.Encoder.Padding));
        Assert.Equal(model.Encoder.Vocabulary.Entries, loaded.Encoder.Vocabulary.Entries);
        var pooled = Assert.IsType<PooledTextClassifier>(loaded.Classifier);
        Assert.Equal(8, pooled.Options.HiddenUnits);
        using var before = model.PredictProbabilities(texts);
        using var after = loaded.PredictProbabilities(texts);
        Assert.Equal(before.data<float>().ToArray(), after.data<float>().ToArray());
    }

    [Fact]
    public void PredictRanksTheClassesOfRawTextsAndCountsUnknownWords()
    {
        using var folder = new TempFolder();
        using var model = Trained(folder);
        var test = new TopicCorpus().Texts(25, seed: 14);

        var predictions = model.Predict(test.Texts, topK: 2);

        using var probabilities = model.PredictProbabilities(test.Texts);
        using var best = probabilities.argmax(1);
        Assert.Equal(best.data<long>().ToArray(), predictions.Select(p => (long)p.Best.Index));
        Assert.All(predictions, p =>
        {
            Assert.Equal(2, p.Top.Count);
            Assert.True(p.Top[0].Probability >= p.Top[1].Probability);
            Assert.Equal(TopicCorpus.Topics[p.Top[0].Index], p.Top[0].Class);
        });
        double accuracy = predictions.Zip(test.Labels).Average(p => p.First.Best.Index == p.Second ? 1.0 : 0.0);
        output.WriteLine($"accuracy {accuracy:F3}");
        Assert.True(accuracy > 0.6, $"accuracy {accuracy:F3} on 100 texts: the trained model should be well above chance (0.25)");
        Assert.Equal(4, model.Predict(["anything"], topK: 10)[0].Top.Count); // k is capped at the number of classes
        Assert.Equal(1, Math.Round(model.Predict(["anything"], topK: 4)[0].Top.Sum(c => c.Probability), 5));

        string known = model.Encoder.Vocabulary.Words[0];
        var counted = model.Predict([$"{known} Qwxyz {known} zzzq", ""]);
        Assert.Equal((4, 2), (counted[0].Words, counted[0].UnknownWords));
        Assert.Equal((0, 0), (counted[1].Words, counted[1].UnknownWords));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(["x"], topK: 0));
    }

    [Fact]
    public void TheLearnersKeepBestFileIsACompleteTextModel()
    {
        using var folder = new TempFolder();
        string best = folder.File("best.safetensors");
        using var model = Trained(folder, bestModelPath: best);

        using var loaded = TextModel.Load(best);

        Assert.Equal(model.Encoder.Vocabulary.Entries, loaded.Encoder.Vocabulary.Entries);
        Assert.Equal(model.Classes, loaded.Classes);
    }

    [Fact]
    public void LoadingSaysWhatIsWrong()
    {
        using var folder = new TempFolder();
        string image = folder.File("image.safetensors");
        using (var network = new Network("tiny", ("fc", nn.Linear(2, 3))))
            SavedModel.Save(image, network, new ModelInfo("tiny") { Outputs = 3 });
        Assert.False(TextModel.IsTextModel(image));
        Assert.Contains("not a text model", Assert.Throws<WeightFileException>(() => TextModel.Load(image)).Message);
        Assert.Throws<WeightFileException>(() => TextModel.IsTextModel(folder.File("missing.safetensors")));

        using var model = Trained(folder);
        string broken = folder.File("broken.safetensors");
        var extra = model.Info.Extra.Where(kv => kv.Key != TextEncoder.VocabularyKey).ToDictionary();
        SavedModel.Save(broken, model.Classifier, model.Info with { Extra = extra });
        var error = Assert.Throws<WeightFileException>(() => TextModel.Load(broken));
        Assert.Contains(broken, error.Message);
        Assert.Contains(TextEncoder.VocabularyKey, error.Message);
    }
}
