using System.Runtime.ExceptionServices;

namespace Graft.Data;

/// <summary>
/// Builds an epoch's batches on worker threads, at most <c>prefetch</c> ahead of the consumer (so memory is bounded),
/// and hands them over strictly in order. With no workers, batches are built on the consumer's thread when taken.
/// Disposing stops the workers and frees batches nobody took.
/// </summary>
internal sealed class BatchProducer : IDisposable
{
    private readonly Func<int, CancellationToken, HostBatch> _build;
    private readonly int _count;
    private readonly HostBatch?[] _ready;
    private readonly Exception?[] _errors;
    private readonly object _gate = new();
    private readonly SemaphoreSlim? _slots;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _threads;
    private int _next;

    public BatchProducer(int count, int workers, int prefetch, Func<int, CancellationToken, HostBatch> build)
    {
        _build = build;
        _count = count;
        _ready = new HostBatch?[count];
        _errors = new Exception?[count];
        _threads = new Thread[workers];
        if (workers == 0) return;
        _slots = new SemaphoreSlim(prefetch, prefetch);
        for (int w = 0; w < workers; w++)
        {
            _threads[w] = new Thread(Work) { IsBackground = true, Name = $"Graft data worker {w}" };
            _threads[w].Start();
        }
    }

    /// <summary>Waits for batch <paramref name="number"/> (taken in order, each once) and rethrows its worker's exception.</summary>
    public HostBatch Take(int number)
    {
        if (_slots is null) return _build(number, _stop.Token);
        HostBatch? batch;
        Exception? error;
        lock (_gate)
        {
            while (_ready[number] is null && _errors[number] is null) Monitor.Wait(_gate);
            batch = _ready[number];
            error = _errors[number];
            _ready[number] = null;
        }
        _slots.Release();
        if (error is not null) ExceptionDispatchInfo.Throw(error);
        return batch!;
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (Thread thread in _threads) thread?.Join();
        lock (_gate)
        {
            for (int i = 0; i < _ready.Length; i++)
            {
                _ready[i]?.Release();
                _ready[i] = null;
            }
        }
        _slots?.Dispose();
        _stop.Dispose();
    }

    private void Work()
    {
        CancellationToken stop = _stop.Token;
        while (true)
        {
            try
            {
                _slots!.Wait(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            int number = Interlocked.Increment(ref _next) - 1;
            if (number >= _count)
            {
                _slots.Release();
                return;
            }
            HostBatch? batch = null;
            Exception? error = null;
            try
            {
                batch = _build(number, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                error = e;
            }
            lock (_gate)
            {
                _ready[number] = batch;
                _errors[number] = error;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
