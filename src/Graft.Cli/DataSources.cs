using Graft.Data;

namespace Graft.Cli;

/// <summary>Opens what <c>--data</c> names: an image folder with one subfolder per class, or a CSV manifest.</summary>
internal static class DataSources
{
    /// <summary>Opens <paramref name="path"/> for a classification or regression task.</summary>
    /// <exception cref="UsageException">When the path does not exist, or does not fit the task.</exception>
    /// <exception cref="InvalidDataException">When the folder or manifest is malformed (the message says how).</exception>
    public static IImageSource Open(string path, bool regression)
    {
        string full = Path.GetFullPath(Graft.IO.GraftHome.ExpandHome(path));
        if (Directory.Exists(full))
        {
            if (regression)
                throw new UsageException($"'{path}' is a folder, but regression needs a CSV manifest of 'path,value' rows; give the CSV file.");
            return ImageFolder.Open(full);
        }
        if (File.Exists(full))
        {
            if (!full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"'{path}' is a file but not a .csv manifest. Give a folder with one subfolder per class, or a CSV of 'path,label' (or 'path,value') rows.");
            return regression ? CsvManifest.OpenRegression(full) : CsvManifest.OpenClassification(full);
        }
        throw new UsageException($"'{path}' does not exist (looked for '{full}'). Give a folder with one subfolder of images per class, or a CSV manifest.");
    }
}
