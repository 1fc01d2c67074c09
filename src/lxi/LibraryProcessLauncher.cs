using System;
using System.IO;
using System.Runtime.InteropServices;
using LinuxIsolation.Oci.State;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Lxi;

/// <summary>
/// Container processes on <see cref="IsolatedProcess"/>. create spawns the init with a start gate (a FIFO in
/// the state directory, runc's exec.fifo): the library returns once the child is in its namespaces, cgroup and
/// root with everything but execve done, and the child blocks reading the FIFO. lxi then exits; the child is
/// not lxi's child forever: like runc's init, it is reparented by the kernel to the nearest subreaper (conmon,
/// the containerd shim) or to PID 1, which reaps it. No parent-death signal is set, so lxi's exit does not
/// reach it. start writes a byte to the FIFO (from a later lxi process). exec spawns a process that joins the
/// init's namespaces (the pid namespace around clone) and the container's cgroup.
/// </summary>
internal sealed class LibraryProcessLauncher : IContainerProcessLauncher
{
    /// <summary>The name of the start FIFO in a container's state directory.</summary>
    public const string GateName = "exec.fifo";

    public CreatedContainerProcess Create(ContainerCreateRequest request)
    {
        IsolatedProcessStartInfo info = request.Plan.StartInfo;
        CheckConsole(info.Terminal, request.ConsoleSocket);
        string gate = Path.Combine(request.StateDirectory, GateName);
        if (Interop.mkfifo(gate, 0x180 /* 0600 */) != 0 && Marshal.GetLastPInvokeError() is int errno && errno != Interop.EEXIST)
        {
            throw new LinuxSyscallException(errno, "mkfifo", gate);
        }

        info.StartGatePath = gate;
        PassDescriptors(info, request.PreserveFds);
        IsolatedProcess process = IsolatedProcess.Start(info);
        try
        {
            SendConsole(process, request.ConsoleSocket);
            ulong start = OciProcessStat.Read(process.Id)?.StartTime ?? 0;
            return new CreatedContainerProcess(process.Id, start, () => process.WaitForExit().ShellStatus);
        }
        catch
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            throw;
        }
    }

    public bool Start(OciContainerRecord record, string stateDirectory)
    {
        string gate = Path.Combine(stateDirectory, GateName);
        bool released = File.Exists(gate) && IsolatedProcess.ReleaseStartGate(gate);
        File.Delete(gate);
        return released;
    }

    public ExecutedProcess Exec(ContainerExecRequest request)
    {
        IsolatedProcessStartInfo info = request.Plan.StartInfo;
        CheckConsole(info.Terminal, request.ConsoleSocket);
        PassDescriptors(info, request.PreserveFds);
        string? gate = null;
        if (request.Detach)
        {
            // A detached process must be reaped by whoever adopts it (conmon, the shim), never by lxi, whose
            // library reaps its children as they exit: it waits at a start gate until lxi is about to end.
            gate = Path.Combine(request.StateDirectory, "exec-" + Guid.NewGuid().ToString("N") + ".fifo");
            if (Interop.mkfifo(gate, 0x180) != 0)
            {
                throw new LinuxSyscallException(Marshal.GetLastPInvokeError(), "mkfifo", gate);
            }

            info.StartGatePath = gate;
        }

        IsolatedProcess process;
        try
        {
            process = IsolatedProcess.Start(info);
        }
        catch
        {
            if (gate is not null)
            {
                File.Delete(gate);
            }

            throw;
        }

        try
        {
            SendConsole(process, request.ConsoleSocket);
        }
        catch
        {
            process.Kill();
            process.WaitForExit();
            throw;
        }

        Action? release = gate is null ? null : () =>
        {
            bool released = IsolatedProcess.ReleaseStartGate(gate);
            File.Delete(gate);
            // _exit at once: the process can exit only after it has execve'd, far later than this returns, so lxi
            // is gone (and the process adopted by the subreaper) before it could be reaped here.
            Interop._exit(released ? 0 : 1);
        };
        return new ExecutedProcess(process.Id, () => process.WaitForExit().ShellStatus, release);
    }

    /// <summary>runc's rules: a terminal needs a console socket (lxi does not relay a tty itself), and a console socket needs a terminal.</summary>
    private static void CheckConsole(bool terminal, string? consoleSocket)
    {
        if (terminal && consoleSocket is null)
        {
            throw new LxiException("cannot allocate tty if lxi will detach without setting console socket");
        }

        if (!terminal && consoleSocket is not null)
        {
            throw new LxiException("cannot use console socket if lxi will not allocate tty");
        }
    }

    private static void SendConsole(IsolatedProcess process, string? consoleSocket)
    {
        if (consoleSocket is not null && process.TerminalMaster is { } master)
        {
            ConsoleSocket.SendMaster(consoleSocket, master);
            master.Dispose();
        }
    }

    private static void PassDescriptors(IsolatedProcessStartInfo info, int preserveFds)
    {
        for (int i = 0; i < preserveFds; i++)
        {
            info.InheritedFileDescriptors.Add(new InheritedFileDescriptor(new SafeFileDescriptor(3 + i, ownsHandle: false), 3 + i));
        }
    }
}
