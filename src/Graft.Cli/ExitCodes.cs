namespace Graft.Cli;

/// <summary>The exit codes every verb uses.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Something failed while running (bad data, a failed download, a diverged run).</summary>
    public const int Failure = 1;

    /// <summary>The command was called wrongly: unknown verb or option, bad value, missing path.</summary>
    public const int Usage = 2;
}
