namespace Graft.Training;

/// <summary>Why a phase of training ended.</summary>
public enum StopReason
{
    /// <summary>All requested epochs ran.</summary>
    Completed,

    /// <summary>The monitored metric stopped improving (<see cref="EarlyStopping"/>).</summary>
    EarlyStopped,

    /// <summary>A caller asked to stop (<see cref="Learner.StopRequested"/> or a cancellation token).</summary>
    Requested,

    /// <summary>The loss became NaN or infinite; the optimizer step was not taken.</summary>
    Diverged,
}
