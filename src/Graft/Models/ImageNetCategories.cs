namespace Graft.Models;

/// <summary>
/// The 1000 ImageNet-1K category names in class-index order, as torchvision lists them (index 0 is "tench").
/// They ship inside the assembly (generated from torchvision's <c>_meta.py</c> by
/// <c>tests/parity/make_imagenet_categories.py</c>).
/// </summary>
public static class ImageNetCategories
{
    private const string ResourceName = "Graft.Models.imagenet_categories.txt";
    private static readonly Lazy<IReadOnlyList<string>> Names = new(Read);

    /// <summary>The names, index = class index.</summary>
    public static IReadOnlyList<string> All => Names.Value;

    private static IReadOnlyList<string> Read()
    {
        using var stream = typeof(ImageNetCategories).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The Graft assembly lacks its embedded resource '{ResourceName}'.");
        using var reader = new StreamReader(stream);
        var names = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length != 1000)
            throw new InvalidOperationException($"Embedded resource '{ResourceName}' holds {names.Length} names; expected 1000.");
        return Array.AsReadOnly(names);
    }
}
