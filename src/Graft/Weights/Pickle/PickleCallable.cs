namespace Graft.Weights.Pickle;

/// <summary>
/// An allowed Python global that a pickle may call (REDUCE, NEWOBJ). Calling it runs only the C# function given
/// here, which builds a plain value; no Python code exists to run.
/// </summary>
/// <param name="QualifiedName">The global as "module.name".</param>
/// <param name="Build">Builds the value from the call's arguments; throws <see cref="InvalidDataException"/> on bad ones.</param>
public sealed record PickleCallable(string QualifiedName, Func<object?[], object?> Build);
