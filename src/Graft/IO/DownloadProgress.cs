namespace Graft.IO;

/// <summary>Reports a download's progress: bytes on disk so far, and the total when the server says it.</summary>
public delegate void DownloadProgress(long bytesDone, long? totalBytes);
