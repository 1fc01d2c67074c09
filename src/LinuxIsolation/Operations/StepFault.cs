using System;

namespace LinuxIsolation;

/// <summary>
/// Test seam of <see cref="MultiStepOperation"/> (set only by tests, through InternalsVisibleTo): makes step
/// <see cref="FailAfterStep"/> fail right after it did its work (so its own undo must run too), and optionally
/// makes the undo of step <see cref="FailUndoOfStep"/> fail, leaving that step's result behind.
/// </summary>
internal sealed class StepFault
{
    /// <summary>The errno of injected failures: ECANCELED.</summary>
    public const int InjectedErrno = 125;

    /// <summary>The step (from 1) that fails after doing its work; 0 for none.</summary>
    public int FailAfterStep { get; init; }

    /// <summary>The step (from 1) whose undo fails without doing anything; 0 for none.</summary>
    public int FailUndoOfStep { get; init; }

    /// <summary>Makes the injected step failure; by default a <see cref="LinuxSyscallException"/> with ECANCELED.</summary>
    public Func<string, Exception>? CreateFailure { get; init; }

    internal Exception Failure(string step) =>
        CreateFailure?.Invoke(step) ?? new LinuxSyscallException(InjectedErrno, "injected", null, $"test fault after step '{step}'");
}
