using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Tests.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Ownership;

/// <summary>Unique names, independent tools and the crash child for the ownership tests.</summary>
internal static class OwnerWorld
{
    private static int s_counter;

    /// <summary>An owner name unique to this process and call (owner names are a-z, 0-9 and '-').</summary>
    public static string OwnerName(string tag) =>
        string.Create(CultureInfo.InvariantCulture, $"t-{tag}-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");

    /// <summary>An interface name unique to this process and call, at most 15 bytes.</summary>
    public static string LinkName(char tag) =>
        string.Create(CultureInfo.InvariantCulture, $"o{tag}{Environment.ProcessId % 1000000}x{Interlocked.Increment(ref s_counter)}");

    /// <summary>A cgroup or table name unique to this process and call.</summary>
    public static string Name(string tag) =>
        string.Create(CultureInfo.InvariantCulture, $"lxi-own-{tag}-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");

    /// <summary>The alias of link <paramref name="link"/> in namespace <paramref name="ns"/> as <c>ip -j -d link show</c> prints it (null: none), or throws if there is no such link.</summary>
    public static string? IpAlias(string ns, string link)
    {
        using JsonDocument doc = JsonDocument.Parse(NsTool.Run("ip", "-n", ns, "-j", "-d", "link", "show", "dev", link));
        JsonElement entry = doc.RootElement[0];
        return entry.TryGetProperty("ifalias", out JsonElement alias) ? alias.GetString() : null;
    }

    /// <summary>The interface names in namespace <paramref name="ns"/> per <c>ip -j link show</c>.</summary>
    public static List<string> IpLinks(string ns)
    {
        using JsonDocument doc = JsonDocument.Parse(NsTool.Run("ip", "-n", ns, "-j", "link", "show"));
        var names = new List<string>();
        foreach (JsonElement link in doc.RootElement.EnumerateArray())
        {
            names.Add(link.GetProperty("ifname").GetString()!);
        }

        return names;
    }

    /// <summary><c>nft list table inet NAME</c> inside namespace <paramref name="ns"/> (text: JSON output of nft 1.0.6 omits comments).</summary>
    public static string NftListTable(string ns, string table) => NsTool.Run("ip", "netns", "exec", ns, "nft", "list", "table", "inet", table);

    /// <summary>The table names <c>nft -j list tables</c> prints inside namespace <paramref name="ns"/>.</summary>
    public static List<string> NftTables(string ns)
    {
        using JsonDocument doc = JsonDocument.Parse(NsTool.Run("ip", "netns", "exec", ns, "nft", "-j", "list", "tables"));
        var names = new List<string>();
        foreach (JsonElement item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("table", out JsonElement table))
            {
                names.Add(table.GetProperty("name").GetString()!);
            }
        }

        return names;
    }

    /// <summary>The owner attribute of a cgroup directory as <c>getfattr</c> (package attr) prints it.</summary>
    public static string GetFattr(string path) =>
        NsTool.Run("getfattr", "--only-values", "--absolute-names", "-n", "user.linuxisolation.owner", path);

    /// <summary>Removes a named namespace with <c>ip netns delete</c> if it still exists (clean-up after a failed test).</summary>
    public static void DeleteNamespaceIfPresent(string name) => NsTool.DeleteNamespaceIfPresent(name);

    /// <summary>True once /proc/PID is gone or holds another process or a zombie (waits up to 10 s for the kernel and init).</summary>
    public static bool WaitUntilGone(int pid, ulong startTime)
    {
        for (int i = 0; i < 1000; i++)
        {
            LinuxIsolation.Ownership.ProcessSnapshot? s = LinuxIsolation.Ownership.ProcessSnapshot.Read(pid);
            if (s is null || s.StartTime != startTime || s.State == 'Z')
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return false;
    }

    /// <summary>
    /// Starts tests/OwnerCrashChild (copied next to the tests), waits for its "ready TAG SLEEP-PID" line, and returns
    /// the running process with what it said. Fails the test with its error output if it does not get there.
    /// </summary>
    public static (Process Child, string Tag, int SleepPid) StartCrashChild(params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "OwnerCrashChild.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references tests/OwnerCrashChild, which should be copied next to it");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        var child = Process.Start(info)!;
        Task<string> errors = child.StandardError.ReadToEndAsync();
        Task<string?> line = child.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(120)) || line.Result is null || !line.Result.StartsWith("ready ", StringComparison.Ordinal))
        {
            KillAndWait(child);
            Assert.Fail($"OwnerCrashChild did not get ready: stdout '{(line.IsCompleted ? line.Result : "(nothing yet)")}', stderr: {errors.Result}");
        }

        string rest = line.Result!.Substring("ready ".Length);
        int lastSpace = rest.LastIndexOf(' ');
        return (child, rest.Substring(0, lastSpace), int.Parse(rest.AsSpan(lastSpace + 1), CultureInfo.InvariantCulture));
    }

    /// <summary>SIGKILL (Process.Kill sends SIGKILL on Linux) and reap, so the child is really dead, not a zombie.</summary>
    public static void KillAndWait(Process child)
    {
        try
        {
            child.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        child.WaitForExit();
    }
}
