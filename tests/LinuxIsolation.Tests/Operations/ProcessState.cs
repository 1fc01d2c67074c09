using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace LinuxIsolation.Tests.Operations;

/// <summary>
/// What an operation could leak, read with /proc and the file system only: open descriptors, this process's mount
/// table, /run/netns entries, and zombie children.
/// </summary>
internal sealed record ProcessState(IReadOnlyList<string> Descriptors, IReadOnlyList<string> Mounts, IReadOnlyList<string> NetnsEntries, IReadOnlyList<int> Zombies)
{
    public static ProcessState Capture()
    {
        // The first child process the runtime starts opens descriptors it keeps (its SIGCHLD machinery): start one first.
        LinuxIsolation.Tests.Namespaces.NsTool.Run("true");
        // Descriptors of finished work (sockets of disposed clients, pipes of finished tools) may wait for a finalizer.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        string[] fds = LinuxIsolation.TestShared.ProcStat.Descriptors();
        // The mount namespace and /run/netns are the machine's: other programs' named namespaces come and go there
        // (another test run, a soak). Only this process's own names (NsTool.UniqueName holds the pid) are counted.
        string[] mounts = LinuxIsolation.Tests.Namespaces.NsTool.MountPoints().Where(Ours).Order(StringComparer.Ordinal).ToArray();
        string[] netns = Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns").Where(Ours).Order(StringComparer.Ordinal).ToArray() : [];
        return new ProcessState(fds, mounts, netns, ZombieChildren());
    }

    private static bool Ours(string path) =>
        !path.StartsWith("/run/netns/", StringComparison.Ordinal) ||
        path.Contains($"-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-", StringComparison.Ordinal);

    /// <summary>The pids of this process's children that are zombies (state Z in /proc/PID/stat).</summary>
    public static IReadOnlyList<int> ZombieChildren() => LinuxIsolation.TestShared.ProcStat.Children(Environment.ProcessId, zombiesOnly: true);

    /// <summary>
    /// Asserts nothing was left: same descriptor count, mount table, /run/netns and zombies. A difference must last:
    /// work of earlier tests that is still ending (a child the runtime has not reaped yet, a descriptor waiting for
    /// its finalizer) settles within moments, so the state is read again for up to 5 s before the assertion; a leak
    /// does not go away.
    /// </summary>
    public void AssertUnchangedSince(ProcessState before)
    {
        ProcessState now = this;
        DateTime deadline = DateTime.UtcNow.AddSeconds(5);
        while (!now.SameAs(before) && DateTime.UtcNow < deadline)
        {
            System.Threading.Thread.Sleep(50);
            now = Capture();
        }

        Xunit.Assert.Equal(before.Mounts, now.Mounts);
        Xunit.Assert.Equal(before.NetnsEntries, now.NetnsEntries);
        Xunit.Assert.Equal(before.Zombies, now.Zombies);
        // The descriptor opened to list /proc/self/fd has the same number in both lists; compare by count, name the differences.
        string[] opened = now.Descriptors.Except(before.Descriptors).ToArray(), closed = before.Descriptors.Except(now.Descriptors).ToArray();
        Xunit.Assert.True(before.Descriptors.Count == now.Descriptors.Count,
            $"descriptors {before.Descriptors.Count} -> {now.Descriptors.Count}; opened: {string.Join(", ", opened)}; closed: {string.Join(", ", closed)}");
    }

    private bool SameAs(ProcessState other) =>
        Descriptors.Count == other.Descriptors.Count && Mounts.SequenceEqual(other.Mounts) && NetnsEntries.SequenceEqual(other.NetnsEntries) && Zombies.SequenceEqual(other.Zombies);
}
