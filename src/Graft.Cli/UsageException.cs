namespace Graft.Cli;

/// <summary>A mistake in how the command was called (exit code 2), with the fix in its message.</summary>
public sealed class UsageException(string message) : Exception(message);
