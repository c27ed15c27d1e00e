using Graft.Data.Transforms;

namespace Graft.Data;

/// <summary>
/// Images arranged one subfolder per class (<c>root/cat/1.jpg</c>, <c>root/dog/2.png</c>), as Keras'
/// <c>image_dataset_from_directory</c> and torchvision's <c>ImageFolder</c> expect. Class names are the subfolder
/// names sorted ordinally; label i is the i-th name. Images are found recursively inside each class folder,
/// by extension (<see cref="ImageDecoder.Extensions"/>); other files and hidden entries (".name") are ignored.
/// The folder is listed once, when opened; files are decoded only when the loader asks for them.
/// </summary>
public sealed class ImageFolder : IRegionDecodingSource
{
    private readonly string[] _paths;
    private readonly int[] _labels;

    private ImageFolder(string root, string[] classNames, string[] paths, int[] labels)
    {
        Root = root;
        ClassNames = classNames;
        _paths = paths;
        _labels = labels;
    }

    /// <summary>The folder the classes live in (full path).</summary>
    public string Root { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public int Count => _paths.Length;

    /// <inheritdoc/>
    public int TargetCount => 0;

    /// <summary>The full path of every sample, in sample order (grouped by class, ordinal within a class).</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Lists <paramref name="root"/>'s class subfolders and their images.</summary>
    /// <exception cref="DirectoryNotFoundException">When <paramref name="root"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// When the folder has no class subfolders, or a class folder has no images (the message names the folder).
    /// </exception>
    public static ImageFolder Open(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"Image folder '{full}' does not exist.");

        string[] classFolders = Directory.GetDirectories(full)
            .Where(d => !IsHidden(d))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToArray();
        if (classFolders.Length == 0)
        {
            int loose = Directory.EnumerateFiles(full).Count(ImageDecoder.HasImageExtension);
            string found = loose > 0 ? $" (it holds {loose} image(s) directly)" : "";
            throw new InvalidDataException(
                $"Image folder '{full}' has no class subfolders{found}. Put each class's images in its own subfolder, " +
                $"e.g. '{Path.Combine(full, "cat", "1.jpg")}' and '{Path.Combine(full, "dog", "2.jpg")}'.");
        }

        var paths = new List<string>();
        var labels = new List<int>();
        string[] classNames = new string[classFolders.Length];
        for (int label = 0; label < classFolders.Length; label++)
        {
            string folder = classFolders[label];
            classNames[label] = Path.GetFileName(folder);
            string[] images = ListImages(folder);
            if (images.Length == 0)
                throw new InvalidDataException(
                    $"Class folder '{folder}' has no images (looked for {string.Join(", ", ImageDecoder.Extensions)}); " +
                    "add images or remove the folder.");
            paths.AddRange(images);
            labels.AddRange(Enumerable.Repeat(label, images.Length));
        }
        return new ImageFolder(full, classNames, paths.ToArray(), labels.ToArray());
    }

    /// <inheritdoc/>
    public int GetLabel(int index) => _labels[index];

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Always: an image folder holds class labels only.</exception>
    public void GetTargets(int index, Span<float> destination) =>
        ImageSourceExtensions.RequireClassification(this, "read regression targets");

    /// <inheritdoc/>
    public string Describe(int index) => _paths[index];

    /// <inheritdoc/>
    public RawImage Load(int index, int minimumShorterSide) => ImageDecoder.DecodeFile(_paths[index], minimumShorterSide);

    /// <inheritdoc/>
    public (RawImage Image, RegionPlacement Placement) LoadRegion(int index, Func<int, int, RegionRequest> choose) =>
        ImageDecoder.DecodeFileRegion(_paths[index], choose);

    private static string[] ListImages(string folder) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
                IgnoreInaccessible = true,
            })
            .Where(p => !IsHidden(p) && ImageDecoder.HasImageExtension(p))
            .OrderBy(p => Path.GetRelativePath(folder, p), StringComparer.Ordinal)
            .ToArray();

    private static bool IsHidden(string path) => Path.GetFileName(path).StartsWith('.');
}
