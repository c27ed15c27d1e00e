namespace Graft.Training.Strategies;

/// <summary>
/// A module that draws its own fresh random weights, for <see cref="Reinitialization.Reset"/>: used instead of the
/// per-layer rules for the module and everything inside it. For models with a parameter whose initialisation the
/// layer alone does not know, such as a text model's embedding, whose padding row must stay zero.
/// </summary>
public interface IReinitializable
{
    /// <summary>Re-draws every parameter of the module and its descendants (from torch's global generator).</summary>
    void ResetParameters();
}
