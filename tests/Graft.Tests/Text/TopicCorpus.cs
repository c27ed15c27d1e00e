using System.Globalization;
using System.Text;
using Graft.Text;

namespace Graft.Tests.Text;

/// <summary>
/// A text classification task with a known structure, and word vectors that know it: four topics, each with its
/// own words (disjoint vocabularies), texts of a few topic words among many filler words shared by all topics,
/// and some topic words borrowed from another topic (noise). The GloVe-format vectors put each topic's words in a
/// tight cluster around the topic's centre, spread the filler words at random, and leave some words out. So
/// pretrained vectors carry what the labels need, and a model that learns its embedding from a few examples
/// has to discover it.
/// </summary>
internal sealed record TopicCorpus(int TopicWords = 30, int FillerWords = 120, int Dimension = 50, int TopicWordsPerText = 3,
    int FillerWordsPerText = 9, double BorrowedShare = 0.15)
{
    public static readonly string[] Topics = ["astronomy", "cooking", "football", "music"];

    private const string Consonants = "bdfgklmnprstvz";
    private const string Vowels = "aeiou";

    /// <summary>Word <paramref name="j"/> of topic <paramref name="topic"/>: a pronounceable made-up word.</summary>
    public static string TopicWord(int topic, int j) => Pseudoword(1000 * (topic + 1) + j);

    /// <summary>Filler word <paramref name="j"/>, shared by every topic.</summary>
    public static string Filler(int j) => Pseudoword(20_000 + j);

    /// <summary>Words the vectors leave out: every 7th topic word and every 9th filler.</summary>
    public static bool MissingFromVectors(int j, bool isTopicWord) => isTopicWord ? j % 7 == 3 : j % 9 == 4;

    /// <summary><paramref name="perClass"/> texts of each topic, in a seeded random order.</summary>
    public LabeledTexts Texts(int perClass, int seed)
    {
        var random = new Random(seed);
        var texts = new List<string>();
        var labels = new List<int>();
        for (int topic = 0; topic < Topics.Length; topic++)
        {
            for (int i = 0; i < perClass; i++)
            {
                var words = new List<string>();
                for (int w = 0; w < TopicWordsPerText; w++)
                {
                    int source = random.NextDouble() < BorrowedShare ? (topic + 1 + random.Next(Topics.Length - 1)) % Topics.Length : topic;
                    words.Add(TopicWord(source, random.Next(TopicWords)));
                }
                for (int w = 0; w < FillerWordsPerText; w++) words.Add(Filler(random.Next(FillerWords)));
                random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(words));
                texts.Add(char.ToUpperInvariant(words[0][0]) + string.Join(' ', words)[1..] + ".");
                labels.Add(topic);
            }
        }
        int[] order = [.. Enumerable.Range(0, texts.Count)];
        random.Shuffle(order);
        return new LabeledTexts(order.Select(i => texts[i]).ToArray(), order.Select(i => labels[i]).ToArray(), Topics);
    }

    /// <summary>
    /// Writes GloVe-format vectors: topic words at their topic's centre (coordinates N(0, 0.5²)) plus N(0, 0.2²)
    /// noise, fillers and 200 words that never occur at N(0, 0.5²), some words left out. Returns the path.
    /// </summary>
    public string WriteVectors(string path, int seed = 7)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var centres = Enumerable.Range(0, Topics.Length).Select(_ => Gaussian(random, 0.5)).ToArray();
        void Line(string word, IEnumerable<double> values) =>
            text.Append(word).Append(' ').AppendJoin(' ', values.Select(v => v.ToString("F5", CultureInfo.InvariantCulture))).Append('\n');
        for (int j = 0; j < FillerWords; j++)
        {
            var values = Gaussian(random, 0.5);
            if (!MissingFromVectors(j, isTopicWord: false)) Line(Filler(j), values);
        }
        for (int topic = 0; topic < Topics.Length; topic++)
            for (int j = 0; j < TopicWords; j++)
            {
                var noise = Gaussian(random, 0.2);
                if (!MissingFromVectors(j, isTopicWord: true)) Line(TopicWord(topic, j), centres[topic].Zip(noise, (c, n) => c + n));
            }
        for (int j = 0; j < 200; j++) Line(Pseudoword(40_000 + j), Gaussian(random, 0.5));
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>Writes <paramref name="texts"/> as a CSV with columns <c>id,body,topic</c> (quoted bodies).</summary>
    public static string WriteCsv(string path, LabeledTexts texts)
    {
        var csv = new StringBuilder("id,body,topic\n");
        for (int i = 0; i < texts.Count; i++)
            csv.Append(i).Append(",\"").Append(texts.Texts[i].Replace("\"", "\"\"")).Append("\",").Append(texts.Classes[texts.Labels[i]]).Append('\n');
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private double[] Gaussian(Random random, double std) =>
        Enumerable.Range(0, Dimension).Select(_ => std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();

    private static string Pseudoword(int n)
    {
        var word = new StringBuilder();
        do
        {
            int syllable = n % (Consonants.Length * Vowels.Length);
            word.Append(Consonants[syllable / Vowels.Length]).Append(Vowels[syllable % Vowels.Length]);
            n /= Consonants.Length * Vowels.Length;
        } while (n > 0);
        return word.ToString();
    }
}
