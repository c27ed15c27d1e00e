namespace Graft.Weights.Pickle;

/// <summary>An allowed Python global that is only referred to, never called (e.g. a storage class or <c>torch.Tensor</c>).</summary>
/// <param name="QualifiedName">The global as "module.name".</param>
/// <param name="Tag">What it stands for on the C# side (e.g. the element type of a storage class), if anything.</param>
public sealed record PickleTypeToken(string QualifiedName, object? Tag = null);
