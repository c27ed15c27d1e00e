using System.CommandLine;

namespace Graft.Cli;

/// <summary>The command line a user typed, re-quoted for the shell, with options added (for resume hints).</summary>
internal static class CommandText
{
    /// <summary><c>graft</c> and the tokens of <paramref name="result"/>, plus <paramref name="extra"/> options whose
    /// names are not there yet (name, value or null for a flag).</summary>
    public static string With(ParseResult result, params (string Name, string? Value)[] extra)
    {
        var tokens = result.Tokens.Select(t => t.Value).ToList();
        foreach (var (name, value) in extra)
        {
            if (tokens.Contains(name)) continue;
            tokens.Add(name);
            if (value is not null) tokens.Add(value);
        }
        return "graft " + string.Join(' ', tokens.Select(Quote));
    }

    private static string Quote(string token) =>
        token.Length > 0 && token.All(c => char.IsLetterOrDigit(c) || "-_./=,:@%+".Contains(c)) ? token : "'" + token.Replace("'", "'\\''") + "'";
}
