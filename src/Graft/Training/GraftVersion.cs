using System.Reflection;

namespace Graft.Training;

/// <summary>The version of Graft written into saved models and checkpoints.</summary>
internal static class GraftVersion
{
    public static string Current { get; } =
        typeof(GraftVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(GraftVersion).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
