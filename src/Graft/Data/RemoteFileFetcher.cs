namespace Graft.Data;

/// <summary>Fetches one remote file to a local path (e.g. Graft's downloader, which verifies <see cref="DatasetFile.Sha256"/>).</summary>
/// <param name="file">What to fetch.</param>
/// <param name="destinationPath">Where the complete, verified file must end up.</param>
/// <param name="cancellationToken">Stops the transfer.</param>
public delegate Task RemoteFileFetcher(DatasetFile file, string destinationPath, CancellationToken cancellationToken);
