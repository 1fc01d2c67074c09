using System;
using LinuxIsolation.Oci;
using LinuxIsolation.Oci.State;

namespace LinuxIsolation.Lxi;

/// <summary>
/// The seam between lxi's lifecycle (bundle loading, validation, mapping, state, cgroup, hooks: all done in
/// <see cref="ContainerRuntime"/>) and the library's spawn path: only these calls start or release container
/// processes. <see cref="LibraryProcessLauncher"/> is the implementation on <c>IsolatedProcess</c>.
/// </summary>
internal interface IContainerProcessLauncher
{
    /// <summary>
    /// create: starts the container process from <see cref="ContainerCreateRequest.Plan"/>.StartInfo (its
    /// <c>CgroupPath</c> is already the container's cgroup) so that it waits, in its namespaces and root, before
    /// execve, and keeps waiting after this lxi process has exited, until <see cref="Start"/> (run by a later lxi
    /// process) releases it. Returns once it waits. Throws with nothing left behind.
    /// </summary>
    CreatedContainerProcess Create(ContainerCreateRequest request);

    /// <summary>start: releases the waiting process of the container whose state directory is <paramref name="stateDirectory"/>; false when none waits.</summary>
    bool Start(OciContainerRecord record, string stateDirectory);

    /// <summary>exec: starts <see cref="ContainerExecRequest.Plan"/>.StartInfo (it joins every namespace of the container's init and its cgroup).</summary>
    ExecutedProcess Exec(ContainerExecRequest request);
}

/// <summary>What create asks the launcher for.</summary>
/// <param name="Id">The container id.</param>
/// <param name="Plan">The mapped bundle (StartInfo, cgroup, hooks).</param>
/// <param name="StateDirectory">The container's state directory (where the start FIFO goes).</param>
/// <param name="ConsoleSocket">The unix socket that receives the pty master, or null.</param>
/// <param name="PreserveFds">How many descriptors after stdio (3, 4, ...) to pass on (runc's --preserve-fds).</param>
internal sealed record ContainerCreateRequest(string Id, OciContainerPlan Plan, string StateDirectory, string? ConsoleSocket, int PreserveFds);

/// <summary>The created (waiting) container process.</summary>
/// <param name="Pid">Its pid in lxi's PID namespace.</param>
/// <param name="StartTime">Field 22 of its /proc/PID/stat.</param>
/// <param name="WaitForExit">Waits for it to exit and returns the shell status (for <c>run</c> in the foreground).</param>
internal sealed record CreatedContainerProcess(int Pid, ulong StartTime, Func<int> WaitForExit);

/// <summary>What exec asks the launcher for.</summary>
/// <param name="Record">The running container.</param>
/// <param name="Plan">The mapped process.</param>
/// <param name="ConsoleSocket">The unix socket that receives the pty master, or null.</param>
/// <param name="PreserveFds">Descriptors after stdio to pass on.</param>
/// <param name="StateDirectory">The container's state directory (where a detached process's start FIFO goes).</param>
/// <param name="Detach">lxi exits at once (runc's --detach): the process waits at a start gate until <see cref="ExecutedProcess.ReleaseAndExit"/>.</param>
internal sealed record ContainerExecRequest(OciContainerRecord Record, OciExecPlan Plan, string? ConsoleSocket, int PreserveFds, string StateDirectory, bool Detach);

/// <summary>A process started by exec.</summary>
/// <param name="Pid">Its pid.</param>
/// <param name="WaitForExit">Waits for it and returns the shell status.</param>
/// <param name="ReleaseAndExit">For a detached process: lets it run and ends lxi at once, or null.</param>
internal sealed record ExecutedProcess(int Pid, Func<int> WaitForExit, Action? ReleaseAndExit = null);
