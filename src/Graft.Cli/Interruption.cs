using System.Runtime.InteropServices;

namespace Graft.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM as a cancellation token: the first signal asks the running verb to stop after the
/// current training step (it then saves what it can and says how to resume); a second signal ends the process at
/// once. Graft does this itself rather than through System.CommandLine's handler, which force-exits two seconds
/// after the first signal and swallows the second.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly TextWriter _error;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    /// <summary>Starts listening; notes go to <paramref name="error"/>.</summary>
    public Interruption(TextWriter error)
    {
        _error = error;
        if (OperatingSystem.IsWindows() || OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
        }
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) > 1) return; // the second signal: default handling, the process ends now
        context.Cancel = true;
        if (!_source.IsCancellationRequested)
        {
            _error.WriteLine("Stopping after the current step (press Ctrl+C again to quit at once)…");
            _source.Cancel();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _source.Dispose();
    }
}
