using System.Diagnostics;
using System.Globalization;
using Graft.Training;
using Graft.Training.Metrics;
using Spectre.Console;

namespace Graft.Cli;

/// <summary>
/// Shows a learner's progress: one line per finished epoch (metrics, images/s, estimated time left in the phase), on
/// standard error when output is redirected; on a terminal also a live bar for the running epoch (loss, images/s,
/// time left); nothing with --quiet/--json.
/// </summary>
internal sealed class TrainingProgress
{
    private readonly ConsoleUi _ui;
    private readonly Stopwatch _epochClock = new();
    private readonly List<double> _epochSeconds = [];
    private ProgressContext? _context;
    private ProgressTask? _task;
    private double _trainingSeconds;
    private double _rate;
    private int _epochs;

    public TrainingProgress(ConsoleUi ui) => _ui = ui;

    /// <summary>Subscribes to <paramref name="learner"/>'s events.</summary>
    public void Attach(Learner learner)
    {
        learner.PhaseStarted += (_, e) => _ui.Note($"Phase '{e.Phase}': {e.Description}.");
        learner.FitStarted += (_, e) =>
        {
            _epochSeconds.Clear();
            string resumed = e.StartEpoch > 0 ? $", resuming after epoch {e.StartEpoch}" : "";
            string cached = e.UsesFeatureCache ? "; the head trains on features cached from one pass of the frozen base" : "";
            _ui.Note($"  {e.Epochs} epoch(s) of {e.StepsPerEpoch} step(s), {e.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture)} trainable parameters{resumed}{cached}.");
        };
        learner.EpochStarted += (_, e) =>
        {
            _epochClock.Restart();
            _epochs = e.Epochs;
            _trainingSeconds = 0;
            _rate = 0;
            if (_context is not null)
                _task = _context.AddTask(Markup.Escape($"{e.Phase} {e.Epoch + 1}/{e.Epochs}"), maxValue: Math.Max(1, learner.Train.Count));
        };
        learner.StepEnded += (_, e) =>
        {
            _trainingSeconds = _epochClock.Elapsed.TotalSeconds;
            _rate = _rate == 0 ? e.SamplesPerSecond : 0.8 * _rate + 0.2 * e.SamplesPerSecond;
            if (_task is null) return;
            _task.Increment(1);
            _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{e.Phase} {e.Epoch + 1}: loss {e.Loss:0.0000}, {_rate:0} img/s"));
        };
        learner.EpochEnded += (_, e) =>
        {
            var record = e.Record;
            _epochSeconds.Add(record.Duration.TotalSeconds);
            string line = EpochLine(record, _epochs, ImagesPerSecond(record), Remaining(record, _epochs));
            if (record.Steps < learner.Train.Count) line += $"  (stopped after step {record.Steps} of {learner.Train.Count}; this epoch is not in the checkpoint)";
            // The live bar goes; the finished epoch stays as a line above the next one's bar.
            _task?.StopTask();
            _task = null;
            _ui.Note(line);
        };
        learner.FitEnded += (_, e) =>
        {
            if (e.Result.Stop == StopReason.EarlyStopped)
                _ui.Note($"  '{e.Result.Name}' stopped early: the monitored metric stopped improving (best epoch {e.Result.BestEpoch + 1}).");
        };
    }

    /// <summary>Runs <paramref name="work"/> with the live display when there is one.</summary>
    public T Run<T>(Func<T> work)
    {
        if (!_ui.ShowProgress) return work();
        return _ui.StepProgress().Start(context =>
        {
            _context = context;
            try
            {
                return work();
            }
            finally
            {
                _context = null;
            }
        });
    }

    /// <summary>One epoch as a line: phase and epoch, every metric, throughput and time left.</summary>
    public static string EpochLine(EpochRecord record, int epochs, double? imagesPerSecond = null, TimeSpan? remaining = null)
    {
        var parts = new List<string> { $"{record.Phase} epoch {record.Epoch + 1}/{epochs}:" };
        parts.Add(Metrics(record.Train, ""));
        if (record.Validation is { } validation) parts.Add(Metrics(validation, "val_"));
        if (imagesPerSecond is double rate) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{rate:0} img/s"));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{record.Duration.TotalSeconds:0.0} s"));
        if (remaining is TimeSpan left && left >= TimeSpan.FromSeconds(1)) parts.Add($"about {Duration(left)} left in the phase");
        return string.Join("  ", parts.Where(p => p.Length > 0));
    }

    /// <summary>The scalar metrics worth a glance (loss, accuracy, mae, rmse), with a prefix.</summary>
    public static string Metrics(MetricValues values, string prefix)
    {
        string[] shown = ["loss", "accuracy", "mae", "rmse"];
        return string.Join("  ", shown.Where(values.Contains)
            .Select(name => string.Create(CultureInfo.InvariantCulture, $"{prefix}{name} {values[name]:0.0000}")));
    }

    /// <summary>A duration in words a person reads at a glance.</summary>
    public static string Duration(TimeSpan span) => span.TotalSeconds < 90
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : span.TotalMinutes < 90 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.0} h");

    private double? ImagesPerSecond(EpochRecord record) =>
        _trainingSeconds > 0 && record.Train.Samples > 0 ? record.Train.Samples / _trainingSeconds : null;

    private TimeSpan Remaining(EpochRecord record, int epochs) =>
        TimeSpan.FromSeconds(_epochSeconds.Average() * Math.Max(0, epochs - record.Epoch - 1));
}
