namespace Graft.Training;

/// <summary>
/// Stop a phase when the monitored metric has not improved by more than <paramref name="MinDelta"/> for
/// <paramref name="Patience"/> epochs (Keras' <c>EarlyStopping</c>).
/// </summary>
/// <param name="Patience">Epochs without improvement before stopping.</param>
/// <param name="MinDelta">Smallest change that counts as an improvement.</param>
/// <param name="RestoreBest">At the end of the phase, put back the weights of the best epoch.</param>
/// <param name="Monitor">The metric (<c>val_loss</c>, <c>val_accuracy</c>, …); null: <see cref="TrainOptions.Monitor"/>.</param>
public sealed record EarlyStopping(int Patience = 3, double MinDelta = 0, bool RestoreBest = true, string? Monitor = null);
