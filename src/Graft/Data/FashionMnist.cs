using System.IO.Compression;
using System.Security.Cryptography;

namespace Graft.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, https://arxiv.org/abs/1708.07747; MIT licence): 70,000 28×28
/// grayscale pictures of Zalando articles in 10 classes, 60,000 for training and 10,000 for testing, stored as IDX
/// files. Graft looks for the four files in an explicit folder, then <c>$GRAFT_HOME/data/fashion-mnist</c>, then
/// Debian's <c>/usr/share/datasets/fashion-mnist</c> (package <c>dataset-fashion-mnist</c>); gzipped or not.
/// </summary>
public static class FashionMnist
{
    /// <summary>The Debian package that installs the files.</summary>
    public const string AptPackage = "dataset-fashion-mnist";

    /// <summary>Where the Debian package puts the files.</summary>
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Image side in pixels.</summary>
    public const int ImageSize = 28;

    private const string BaseUrl = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    // Sha256: the published .gz files (as listed by dataset libraries that download them; consistent with the MD5s
    // of the Fashion-MNIST README). ContentSha256: the decompressed IDX bytes, computed from Debian's package, whose
    // decompressed MD5s equal the published raw-file MD5s although its gzip files were recompressed.

    /// <summary>Training images: 60,000 × 28 × 28 bytes.</summary>
    public static DatasetFile TrainImages { get; } = new(
        "train-images-idx3-ubyte.gz", new Uri(BaseUrl + "train-images-idx3-ubyte.gz"),
        Sha256: "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
        Md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        ContentSha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");

    /// <summary>Training labels: 60,000 bytes, 0..9.</summary>
    public static DatasetFile TrainLabels { get; } = new(
        "train-labels-idx1-ubyte.gz", new Uri(BaseUrl + "train-labels-idx1-ubyte.gz"),
        Sha256: "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
        Md5: "25c81989df183df01b3e8a0aad5dffbe",
        ContentSha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9");

    /// <summary>Test images: 10,000 × 28 × 28 bytes.</summary>
    public static DatasetFile TestImages { get; } = new(
        "t10k-images-idx3-ubyte.gz", new Uri(BaseUrl + "t10k-images-idx3-ubyte.gz"),
        Sha256: "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
        Md5: "bef4ecab320f06d8554ea6380940ec79",
        ContentSha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b");

    /// <summary>Test labels: 10,000 bytes, 0..9.</summary>
    public static DatasetFile TestLabels { get; } = new(
        "t10k-labels-idx1-ubyte.gz", new Uri(BaseUrl + "t10k-labels-idx1-ubyte.gz"),
        Sha256: "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
        Md5: "bb300cfdad3c16e7a12a480ee83cd310",
        ContentSha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /// <summary>The four published files (the list a downloader fetches).</summary>
    public static IReadOnlyList<DatasetFile> Files { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>Class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Where downloads go: <c>$GRAFT_HOME/data/fashion-mnist</c>.</summary>
    public static string CacheFolder => Path.Combine(Graft.IO.GraftHome.Data, "fashion-mnist");

    /// <summary>The folders searched, in order: <paramref name="dataFolder"/> (if given), <see cref="CacheFolder"/>, <see cref="DebianFolder"/>.</summary>
    public static IReadOnlyList<string> SearchFolders(string? dataFolder = null)
    {
        var folders = new List<string>();
        if (!string.IsNullOrWhiteSpace(dataFolder)) folders.Add(Path.GetFullPath(dataFolder));
        folders.Add(CacheFolder);
        folders.Add(DebianFolder);
        return folders;
    }

    /// <summary>The first of <see cref="SearchFolders"/> holding all four files.</summary>
    /// <exception cref="FileNotFoundException">When no folder has them; the message says how to get them.</exception>
    public static string Locate(string? dataFolder = null) => LocateIn(SearchFolders(dataFolder));

    /// <summary>True when <paramref name="folder"/> holds all four files (gzipped or not).</summary>
    public static bool Holds(string folder) => Files.All(f => FindFile(folder, f) is not null);

    /// <summary>The first of <paramref name="folders"/> holding all four files.</summary>
    /// <exception cref="FileNotFoundException">When none has them; the message says how to get them.</exception>
    internal static string LocateIn(IReadOnlyList<string> folders)
    {
        foreach (string folder in folders)
            if (Holds(folder)) return folder;
        throw new FileNotFoundException(
            "Fashion-MNIST is not on this machine. Looked in: " + string.Join(", ", folders) + ". Get it with " +
            $"'apt-get install {AptPackage}' (Debian/Ubuntu), or download " +
            string.Join(", ", Files.Select(f => $"{f.Url} (SHA-256 {f.Sha256})")) +
            $" into {CacheFolder} (or a folder you pass with --data).");
    }

    /// <summary>Loads the training set (60,000 images) from <see cref="Locate"/>'s folder.</summary>
    /// <exception cref="FileNotFoundException">When the files are not found (see <see cref="Locate"/>).</exception>
    /// <exception cref="InvalidDataException">When a file is damaged or images and labels disagree.</exception>
    public static InMemoryImages LoadTrain(string? dataFolder = null) => LoadPart(Locate(dataFolder), TrainImages, TrainLabels, "train");

    /// <summary>Loads the test set (10,000 images) from <see cref="Locate"/>'s folder.</summary>
    /// <exception cref="FileNotFoundException">When the files are not found (see <see cref="Locate"/>).</exception>
    /// <exception cref="InvalidDataException">When a file is damaged or images and labels disagree.</exception>
    public static InMemoryImages LoadTest(string? dataFolder = null) => LoadPart(Locate(dataFolder), TestImages, TestLabels, "test");

    /// <summary>
    /// Checks every file in <paramref name="folder"/> against its <see cref="DatasetFile.ContentSha256"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">When a file is missing.</exception>
    /// <exception cref="InvalidDataException">When a file's content differs from the published one (named in the message).</exception>
    public static void Verify(string folder)
    {
        foreach (DatasetFile file in Files)
        {
            string path = FindFile(folder, file)
                ?? throw new FileNotFoundException($"'{file.FileName}' is missing from '{folder}'.", Path.Combine(folder, file.FileName));
            string actual = ContentSha256(path);
            if (!actual.Equals(file.ContentSha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException(
                    $"'{path}' is not the published Fashion-MNIST file: its content SHA-256 is {actual}, expected {file.ContentSha256}.");
        }
    }

    /// <summary>
    /// Downloads the four files into <paramref name="folder"/> (default <see cref="CacheFolder"/>) with Graft's
    /// downloader: SHA-256 of each published file checked, temp name and rename, resumed when interrupted, and
    /// an error naming the URL and path to use by hand when the network is unreachable or offline mode is on.
    /// </summary>
    public static Task<string> DownloadAsync(string? folder = null, Graft.IO.DownloadOptions? options = null,
        Graft.IO.DownloadProgress? progress = null, CancellationToken cancellationToken = default) =>
        DownloadAsync((file, destination, cancel) => Graft.IO.Downloader.FetchAsync(
                new Graft.IO.RemoteFile(file.Url.ToString(), file.FileName, file.Sha256),
                (options ?? Graft.IO.DownloadOptions.Default) with { CacheFolder = Path.GetDirectoryName(destination) },
                progress, cancel),
            folder, cancellationToken);

    /// <summary>
    /// The download hook: fetches each file missing from <paramref name="folder"/> (default <see cref="CacheFolder"/>)
    /// with <paramref name="fetch"/> (Graft's downloader), then verifies all four files' content.
    /// </summary>
    /// <returns>The folder holding the verified files.</returns>
    /// <exception cref="InvalidDataException">When a fetched file's content is wrong (the file is deleted).</exception>
    public static async Task<string> DownloadAsync(RemoteFileFetcher fetch, string? folder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        string target = Path.GetFullPath(folder ?? CacheFolder);
        Directory.CreateDirectory(target);
        foreach (DatasetFile file in Files)
        {
            if (FindFile(target, file) is not null) continue;
            string destination = Path.Combine(target, file.FileName);
            await fetch(file, destination, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(destination))
                throw new InvalidDataException($"The fetcher reported success but '{destination}' does not exist.");
            string actual = ContentSha256(destination);
            if (!actual.Equals(file.ContentSha256, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(destination);
                throw new InvalidDataException(
                    $"Downloaded '{file.Url}' has content SHA-256 {actual}, expected {file.ContentSha256}; the file was deleted.");
            }
        }
        return target;
    }

    /// <summary>The path of <paramref name="file"/> in <paramref name="folder"/>, gzipped or decompressed, or null.</summary>
    public static string? FindFile(string folder, DatasetFile file)
    {
        string gz = Path.Combine(folder, file.FileName);
        if (File.Exists(gz)) return gz;
        string raw = Path.Combine(folder, file.DecompressedName);
        return File.Exists(raw) ? raw : null;
    }

    private static InMemoryImages LoadPart(string folder, DatasetFile imagesFile, DatasetFile labelsFile, string part)
    {
        string imagesPath = FindFile(folder, imagesFile)!;
        InMemoryImages images = InMemoryImages.FromIdx(imagesPath, FindFile(folder, labelsFile)!, ClassNames, $"fashion-mnist/{part}");
        if (images.Width != ImageSize || images.Height != ImageSize)
            throw new InvalidDataException($"'{imagesPath}' holds {images.Width}x{images.Height} images; Fashion-MNIST's are 28x28.");
        return images;
    }

    private static string ContentSha256(string path)
    {
        using Stream file = File.OpenRead(path);
        bool gzipped = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        using Stream content = gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }
}
