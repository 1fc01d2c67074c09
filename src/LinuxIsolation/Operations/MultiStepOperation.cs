using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Netlink;
using Microsoft.Extensions.Logging;

namespace LinuxIsolation;

/// <summary>
/// Runs an operation made of steps, each of which may leave something in the kernel (a file, a mount, a link, a
/// cgroup directory), and undoes what was made when a later step fails. Usage:
/// <code>
/// var op = new MultiStepOperation(LinuxIsolationLogging.Networking, "add veth peer", "veth-a/eth0 in ns1", fault);
/// Link host = op.Step("create veth pair", () =&gt; rt.CreateVeth(...));
/// op.OnUndo("veth pair veth-a/eth0", "ip link delete veth-a", () =&gt; rt.DeleteLink(host.Index));
/// op.Step("set veth-a up", () =&gt; rt.SetLinkUp(host.Index));
/// op.Complete();
/// </code>
/// A step is one call that either succeeds or fails having changed nothing; what it made is registered with
/// <see cref="OnUndo"/> right after it, so adding a step (an owner tag, say) is one more <see cref="Step"/> call.
/// On failure the undos run newest first; the thrown exception is the original one annotated (same type and
/// errno, message naming the step and saying "undone", <see cref="MultiStepOperationData"/> entries), or an
/// <see cref="UndoFailedException"/> naming what was left behind. Logging: Debug per step, Information on
/// completion with the duration, Warning when undone, Error when undoing failed. Not thread-safe.
/// </summary>
internal sealed class MultiStepOperation
{
    private readonly ILogger _logger;
    private readonly string _operation;
    private readonly string _subject;
    private readonly StepFault? _fault;
    private readonly long _started;
    private List<Undo>? _undos;
    private int _stepNumber;
    private string _step = string.Empty;

    public MultiStepOperation(ILogger logger, string operation, string subject, StepFault? fault = null)
    {
        _logger = logger;
        _operation = operation;
        _subject = subject;
        _fault = fault;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The number of steps begun so far.</summary>
    public int StepCount => _stepNumber;

    /// <summary>Runs the next step; if it throws, undoes every earlier step and throws the annotated failure.</summary>
    public void Step(string step, Action action)
    {
        Begin(step);
        try
        {
            action();
        }
        catch (Exception e)
        {
            throw Fail(e);
        }
    }

    /// <summary>Runs the next step and returns its result; if it throws, undoes every earlier step and throws the annotated failure.</summary>
    public T Step<T>(string step, Func<T> action)
    {
        Begin(step);
        try
        {
            return action();
        }
        catch (Exception e)
        {
            throw Fail(e);
        }
    }

    /// <summary>Registers how to remove what the current step made.</summary>
    /// <param name="what">What the step made, e.g. "veth pair veth-a/eth0".</param>
    /// <param name="removal">How a user removes it by hand, e.g. "ip link delete veth-a".</param>
    /// <param name="undo">Removes it.</param>
    public void OnUndo(string what, string removal, Action undo) =>
        (_undos ??= []).Add(new Undo(_stepNumber, what, removal, undo));

    /// <summary>Ends the operation successfully (after the last step's injected fault, if any) and logs its duration.</summary>
    public void Complete()
    {
        ThrowPendingFault();
        if (_logger.IsEnabled(LogLevel.Information))
        {
            double milliseconds = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            OperationLog.Completed(_logger, _operation, _subject, _stepNumber, milliseconds);
        }
    }

    /// <summary>
    /// Undoes every step so far and returns the exception to throw for <paramref name="failure"/>: a copy of it
    /// of the same type whose message says what failed and "undone", or <see cref="UndoFailedException"/>.
    /// Exceptions of other types are rethrown as they are (with <see cref="MultiStepOperationData"/> entries).
    /// </summary>
    public Exception Fail(Exception failure)
    {
        var undone = new List<string>();
        List<string>? leftBehind = null;
        Exception? undoFailure = null;
        for (int i = (_undos?.Count ?? 0) - 1; i >= 0; i--)
        {
            Undo u = _undos![i];
            try
            {
                if (_fault is not null && _fault.FailUndoOfStep == u.StepNumber)
                {
                    throw new LinuxSyscallException(StepFault.InjectedErrno, "injected", null, $"test fault in the undo of step {u.StepNumber}");
                }

                u.Action();
                undone.Add(u.What);
                OperationLog.StepUndone(_logger, _operation, _subject, u.What);
            }
            catch (Exception e)
            {
                undoFailure ??= e;
                (leftBehind ??= []).Add($"{u.What} (remove with: {u.Removal})");
            }
        }

        _undos?.Clear();
        string step = $"step {_stepNumber} ({_step})";
        if (leftBehind is not null)
        {
            if (_logger.IsEnabled(LogLevel.Error))
            {
                OperationLog.UndoFailed(_logger, undoFailure!, _operation, _subject, _stepNumber, _step, string.Join("; ", leftBehind));
            }

            return new UndoFailedException(_operation, _subject, _stepNumber, _step, leftBehind, failure, undoFailure!);
        }

        OperationLog.Undone(_logger, failure, _operation, _subject, _stepNumber, _step);
        string note = $"{_operation} {_subject}: {step} failed; " +
            (undone.Count == 0 ? "undone: nothing had been made" : "undone: removed " + string.Join(", ", undone));
        Exception result = failure switch
        {
            CgroupException c when c.GetType() == typeof(CgroupException) =>
                new CgroupException(c.Errno, c.Operation, c.Path ?? string.Empty, c.Value, Join(c.Detail, note)),
            LinuxSyscallException s when s.GetType() == typeof(LinuxSyscallException) =>
                new LinuxSyscallException(s.Errno, s.Syscall, s.Path, Join(s.Detail, note)),
            NetlinkException n when n.GetType() == typeof(NetlinkException) =>
                n.WithOperation(n.Operation is null ? note : $"{note} ({n.Operation})"),
            _ => failure,
        };
        if (!ReferenceEquals(result, failure))
        {
            // The copy is thrown from here; it keeps where the failure really happened (shown first in its stack
            // trace, as for an exception rethrown across an await) and whatever the failure carried in Data.
            if (failure.StackTrace is string trace)
            {
                ExceptionDispatchInfo.SetRemoteStackTrace(result, trace);
            }

            foreach (System.Collections.DictionaryEntry entry in failure.Data)
            {
                result.Data[entry.Key] = entry.Value;
            }
        }

        result.Data[MultiStepOperationData.Operation] = _operation;
        result.Data[MultiStepOperationData.Step] = step;
        result.Data[MultiStepOperationData.Undone] = true;
        if (ReferenceEquals(result, failure))
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return result;
    }

    private void Begin(string step)
    {
        ThrowPendingFault();
        _stepNumber++;
        _step = step;
        OperationLog.StepStarted(_logger, _operation, _subject, _stepNumber, step);
    }

    private void ThrowPendingFault()
    {
        if (_fault is not null && _stepNumber > 0 && _fault.FailAfterStep == _stepNumber)
        {
            throw Fail(_fault.Failure(_step));
        }
    }

    private static string Join(string? first, string second) => first is null ? second : first + "; " + second;

    private readonly record struct Undo(int StepNumber, string What, string Removal, Action Action);
}
