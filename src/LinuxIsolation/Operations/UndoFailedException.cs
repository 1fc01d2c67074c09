using System;
using System.Collections.Generic;

namespace LinuxIsolation;

/// <summary>
/// A multi-step operation failed part way and undoing what it had made failed too, so something is left behind.
/// <see cref="Exception.InnerException"/> is the original failure (a <see cref="LinuxSyscallException"/>,
/// <see cref="Netlink.NetlinkException"/>, <see cref="Cgroups.CgroupException"/>... with its errno),
/// <see cref="UndoException"/> is why undoing failed, and <see cref="LeftBehind"/> names each thing that remains
/// with the command that removes it (e.g. <c>ip -n ns1 link delete veth1</c>), so the caller can clean up.
/// When undoing succeeds the original exception type is thrown instead (see <see cref="MultiStepOperationData"/>).
/// </summary>
public sealed class UndoFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation, e.g. "add veth peer".</param>
    /// <param name="subject">What it worked on, e.g. "veth-a/eth0 in ns1".</param>
    /// <param name="stepNumber">The failed step, counted from 1.</param>
    /// <param name="step">The failed step's description.</param>
    /// <param name="leftBehind">What remains, each with how to remove it.</param>
    /// <param name="failure">The original failure.</param>
    /// <param name="undoException">The first failure while undoing.</param>
    public UndoFailedException(string operation, string subject, int stepNumber, string step, IReadOnlyList<string> leftBehind, Exception failure, Exception undoException)
        : base(Format(operation, subject, stepNumber, step, leftBehind, failure, undoException), failure)
    {
        ArgumentNullException.ThrowIfNull(leftBehind);
        Operation = operation;
        Subject = subject;
        StepNumber = stepNumber;
        Step = step;
        LeftBehind = leftBehind;
        UndoException = undoException;
    }

    /// <summary>The operation, e.g. "add veth peer", "create named network namespace", "create cgroup".</summary>
    public string Operation { get; }

    /// <summary>What the operation worked on (names, paths).</summary>
    public string Subject { get; }

    /// <summary>The step that failed, counted from 1.</summary>
    public int StepNumber { get; }

    /// <summary>The step that failed, e.g. "add address 10.0.0.2/24 to eth0".</summary>
    public string Step { get; }

    /// <summary>What remains after the failed undo, each with the command or call that removes it.</summary>
    public IReadOnlyList<string> LeftBehind { get; }

    /// <summary>The (first) exception thrown while undoing.</summary>
    public Exception UndoException { get; }

    private static string Format(string operation, string subject, int stepNumber, string step, IReadOnlyList<string> leftBehind, Exception failure, Exception undoException) =>
        $"{operation} {subject}: step {stepNumber} ({step}) failed: {failure?.Message}; undoing failed too: {undoException?.Message}; left behind: {string.Join("; ", leftBehind ?? [])}";
}
