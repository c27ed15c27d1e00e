namespace Graft.Data;

/// <summary>Which side of a train/validation split to take (Keras' <c>subset</c> argument).</summary>
public enum DataSubset
{
    /// <summary>The training part.</summary>
    Training,

    /// <summary>The held-out validation part.</summary>
    Validation,
}
