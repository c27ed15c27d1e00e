namespace Graft.Weights.Pickle;

/// <summary>A value that accepts the pickle BUILD opcode (setting its state after construction).</summary>
internal interface IPickleBuildable
{
    /// <summary>Applies <paramref name="state"/>; throws <see cref="InvalidDataException"/> when it cannot.</summary>
    void Build(object? state);
}
