using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>Remembers the train/eval flag of every module of a model and puts them back on dispose, so evaluating
/// or predicting in the middle of a custom loop leaves the model as it found it.</summary>
internal sealed class ModeScope : IDisposable
{
    private readonly List<(nn.Module Module, bool Training)> _modes;

    private ModeScope(nn.Module model)
    {
        // named_modules is pre-order, so restoring in this order lets each child override what its parent's
        // recursive train() set.
        _modes = [(model, model.training), .. model.named_modules().Select(m => (m.module, m.module.training))];
    }

    /// <summary>Switches <paramref name="model"/> to eval mode until the scope is disposed.</summary>
    public static ModeScope Eval(nn.Module model)
    {
        var scope = new ModeScope(model);
        model.eval();
        return scope;
    }

    /// <summary>Captures the modes without changing them.</summary>
    public static ModeScope Capture(nn.Module model) => new(model);

    public void Dispose()
    {
        foreach (var (module, training) in _modes) module.train(training);
    }
}
