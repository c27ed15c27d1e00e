namespace Graft.Weights;

/// <summary>
/// A weight file (safetensors, PyTorch checkpoint) that Graft cannot or will not load: truncated, corrupted,
/// malformed, or unsafe. The message names the file and what was wrong with it.
/// </summary>
public class WeightFileException : IOException
{
    /// <summary>Creates the exception; the message becomes "<paramref name="filePath"/>: <paramref name="problem"/>".</summary>
    public WeightFileException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that could not be loaded.</summary>
    public string FilePath { get; }

    /// <summary>What was wrong, without the file name.</summary>
    public string Problem { get; }
}
