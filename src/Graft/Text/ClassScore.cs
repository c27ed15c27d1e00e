namespace Graft.Text;

/// <summary>One class of a prediction with its probability.</summary>
/// <param name="Class">The class name.</param>
/// <param name="Index">The class's index in the model's output.</param>
/// <param name="Probability">Softmax probability, in [0, 1].</param>
public sealed record ClassScore(string Class, int Index, double Probability);
