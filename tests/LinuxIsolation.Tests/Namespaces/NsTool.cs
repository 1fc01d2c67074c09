using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Tests.Namespaces;

/// <summary>Independent tools for verifying namespace tests: iproute2, /proc, and unique names.</summary>
internal static class NsTool
{
    private static int s_counter;

    /// <summary>A name unique to this process and call, so tests running at once on this machine never collide.</summary>
    public static string UniqueName(string tag) =>
        string.Create(CultureInfo.InvariantCulture, $"lxi-ns-{tag}-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");

    /// <summary>Deletes the named network namespace with <c>ip netns delete</c> if <c>ip netns list</c> shows it (after a failed test).</summary>
    public static void DeleteNamespaceIfPresent(string name)
    {
        if (IpNetnsList().Contains(name))
        {
            Run("ip", "netns", "delete", name);
        }
    }

    /// <summary>Runs a program and returns its standard output; throws if it exits non-zero.</summary>
    public static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
        }

        return output;
    }

    /// <summary>The names <c>ip netns list</c> prints (first word of each line).</summary>
    public static List<string> IpNetnsList()
    {
        var names = new List<string>();
        foreach (string line in Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            names.Add(line.Split(' ')[0]);
        }

        return names;
    }

    /// <summary>The mount points in this process's mount table (<c>/proc/self/mountinfo</c>, field 5).</summary>
    public static List<string> MountPoints()
    {
        var points = new List<string>();
        foreach (string line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            points.Add(line.Split(' ')[4]);
        }

        return points;
    }

    /// <summary><c>readlink</c> of a /proc namespace link, e.g. <c>net:[4026531840]</c>.</summary>
    public static string ReadLink(string path) => new FileInfo(path).LinkTarget ?? throw new InvalidOperationException($"{path} is not a link");

    /// <summary>
    /// Opens the calling thread's network namespace with no managed call but the system call, as a delegate run
    /// inside a namespace should (see LinuxIsolation's NamespaceSyscalls: managed calls inside may start runtime threads there).
    /// Returns the descriptor, or -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int OpenThreadNetRaw()
    {
        fixed (byte* path = "/proc/thread-self/ns/net\0"u8)
        {
            return NamespaceSyscalls.Open(path, 0x80000 /* O_RDONLY | O_CLOEXEC */, 0, out _);
        }
    }

    /// <summary>The namespace inode of a descriptor from <see cref="OpenThreadNetRaw"/>, which it closes.</summary>
    public static ulong InodeOfDescriptor(int fd)
    {
        if (fd < 0)
        {
            throw new InvalidOperationException("opening /proc/thread-self/ns/net failed");
        }

        using NamespaceHandle handle = NamespaceHandle.FromOwnedDescriptor(new SafeFileDescriptor(fd, ownsHandle: true), NamespaceKind.Network, null);
        return handle.Id.Inode;
    }

    /// <summary>The inode number in a /proc namespace link's text.</summary>
    public static ulong InodeOf(string path)
    {
        string text = ReadLink(path);
        int open = text.IndexOf('[', StringComparison.Ordinal);
        return ulong.Parse(text.AsSpan(open + 1, text.Length - open - 2), CultureInfo.InvariantCulture);
    }
}
