using System;
using System.Collections.Generic;
using System.IO;
using ContainerRunner;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Processes;

// A minimal container runner (run as root):
//
//   ContainerRunner [--netns NAME] [--hostname NAME] [-- COMMAND ARGS...]
//
// It builds a busybox root file system in a temporary directory, starts COMMAND (default: a short tour) in new
// PID, mount, UTS and IPC namespaces with pivot_root into that root, /proc, a minimal /dev and a read-only /sys,
// runc's masked and read-only paths, Docker's default capabilities, no_new_privs and a tiny init as PID 1. With
// --netns NAME it joins the network namespace /run/netns/NAME (e.g. container4 of the seed network
// walkthrough, made by the SeedNetwork sample or `ip netns add container4`); without it, it gets a new,
// empty network namespace. It prints the command's output and its exit status, and removes the root file system.
string? netns = null;
string hostname = "container4";
long? memoryMax = null;
double? cpuPercent = null;
long? pidsMax = null;
var command = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--netns" when i + 1 < args.Length:
            netns = args[++i];
            break;
        case "--hostname" when i + 1 < args.Length:
            hostname = args[++i];
            break;
        case "--memory" when i + 1 < args.Length:
            memoryMax = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--cpu-percent" when i + 1 < args.Length:
            cpuPercent = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--pids" when i + 1 < args.Length:
            pidsMax = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--":
            command.AddRange(args[(i + 1)..]);
            i = args.Length;
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: ContainerRunner [--netns NAME] [--hostname NAME] [--memory BYTES] [--cpu-percent P] [--pids N] [-- COMMAND ARGS...]");
            return 2;
    }
}

if (command.Count == 0)
{
    command.AddRange(["/bin/sh", "-c", "echo \"hostname: $(hostname)\"; echo \"pid: $$\"; id; ls /; ps; ip -o link"]);
}

using BusyboxRootFs rootfs = BusyboxRootFs.Create();
var info = new IsolatedProcessStartInfo(command[0], [.. command[1..]])
{
    NewNamespaces = NamespaceFlags.Pid | NamespaceFlags.Mount | NamespaceFlags.Uts | NamespaceFlags.Ipc,
    HostName = hostname,
    RootDirectory = rootfs.Path,
    WorkingDirectory = "/root",
    KeepCapabilities = [.. Capabilities.ContainerDefaults],
    NoNewPrivileges = true,
    UseInit = true,
    ParentDeathSignal = 9,
};
info.Environment.Clear();
info.Environment["PATH"] = "/bin";
info.Environment["HOME"] = "/root";
info.Environment["HOSTNAME"] = hostname;
info.AddContainerDefaults();
if (netns is null)
{
    info.NewNamespaces |= NamespaceFlags.Network;
}
else
{
    info.JoinNamespaces.Add(NamespaceJoin.NetworkNamespace(netns));
}

// The container's own cgroup, under the cgroup v2 root (found in /proc/self/mountinfo), with the limits
// asked for; the process is placed in it before it runs. A controller bound to cgroup v1 on a hybrid host is
// reported and its limit left out rather than the run refused.
using Cgroup cgroupRoot = Cgroup.OpenRoot();
string cgroupName = $"lxi-runner-{Environment.ProcessId}";
using Cgroup group = cgroupRoot.CreateChild(cgroupName);
try
{
    ApplyLimit("memory", new CgroupResources { Memory = new MemoryLimits { Max = memoryMax } }, memoryMax is not null);
    ApplyLimit("cpu", new CgroupResources { Cpu = cpuPercent is double p ? CpuLimits.FromPercentOfOneCpu(p) : null }, cpuPercent is not null);
    ApplyLimit("pids", new CgroupResources { Pids = new PidsLimits { Max = pidsMax } }, pidsMax is not null);
    info.CgroupPath = group.Path;

    using IsolatedProcess container = IsolatedProcess.Start(info);
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        container.Kill(15); // the init forwards it to the command
    };
    ProcessExitStatus status = await container.WaitForExitAsync();
    Console.WriteLine($"exit status: {status}");
    CgroupStatistics stats = group.GetStatistics();
    Console.WriteLine($"cgroup {group.Path}: cpu {stats.Cpu.UsageMicroseconds} us (user {stats.Cpu.UserMicroseconds}, system {stats.Cpu.SystemMicroseconds})"
        + (stats.Memory is { } m ? $", memory peak {m.Peak ?? m.Current} B" : ", memory: controller not in cgroup v2 here")
        + (stats.Pids is { } pids ? $", pids peak {pids.Peak ?? pids.Current}" : ", pids: controller not in cgroup v2 here"));
    return status.ShellStatus;
}
catch (IsolatedProcessException e)
{
    Console.Error.WriteLine($"starting the container failed at {e.Step}: {e.Message}");
    return 125;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bad container settings: {e.Message}");
    return 125;
}
finally
{
    cgroupRoot.DeleteChild(cgroupName);
}

void ApplyLimit(string controller, CgroupResources resources, bool asked)
{
    if (!asked)
    {
        return;
    }

    try
    {
        cgroupRoot.EnableControllers(controller);
        group.Apply(resources);
        Console.WriteLine($"{controller} limit applied in {group.Path}");
    }
    catch (CgroupControllerUnavailableException e)
    {
        Console.WriteLine($"{controller} limit left out: {e.Message}");
    }
}
