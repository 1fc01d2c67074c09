using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Xunit;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>
/// A throwaway named network namespace for a test, made with iproute2 (the test fixture may use tools; the
/// library may not). Sockets are created inside it on a short-lived dedicated thread that enters the
/// namespace and returns to its own before it ends.
/// </summary>
internal sealed partial class TestNetworkNamespace : IDisposable
{
    private const int CLONE_NEWNET = 0x40000000;

    private TestNetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static TestNetworkNamespace Create()
    {
        Privileged.Require();
        string name = $"lxi-nltest-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Run("ip", $"netns add {name}");
        return new TestNetworkNamespace(name);
    }

    private static int s_counter;

    /// <summary>Runs <paramref name="action"/> on a new thread inside this namespace and returns its result.</summary>
    public T Inside<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            using var original = File.OpenHandle("/proc/thread-self/ns/net");
            using (var target = File.OpenHandle($"/run/netns/{Name}"))
            {
                if (setns(target.DangerousGetHandle().ToInt32(), CLONE_NEWNET) != 0)
                {
                    failure = new InvalidOperationException($"setns({Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                    return;
                }
            }

            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                if (setns(original.DangerousGetHandle().ToInt32(), CLONE_NEWNET) != 0)
                {
                    Environment.FailFast("could not return a test thread to its network namespace");
                }
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure;
        }

        return result;
    }

    /// <summary>Opens the namespace file (<c>/run/netns/NAME</c>): a handle for veth peer placement and link moves.</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle OpenHandle() => File.OpenHandle($"/run/netns/{Name}");

    /// <summary>Opens an rtnetlink client whose socket lives in this namespace; usable from any thread afterwards.</summary>
    public LinuxIsolation.Netlink.Rtnetlink.RtnetlinkClient OpenClient() => Inside(() => LinuxIsolation.Netlink.Rtnetlink.RtnetlinkClient.Open());

    /// <summary>Runs <c>ip -j -d ARGS</c> inside the namespace and parses its JSON output.</summary>
    public System.Text.Json.JsonElement IpJson(string arguments)
    {
        string output = Exec("ip -j -d " + arguments);
        using var document = System.Text.Json.JsonDocument.Parse(output.Length == 0 ? "[]" : output);
        return document.RootElement.Clone();
    }

    /// <summary>Runs a command inside the namespace and returns its exit code (standard output and error dropped).</summary>
    public int ExecStatus(string command) => RunStatus("ip", $"netns exec {Name} {command}");

    public static int RunStatus(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>) and returns its standard output.</summary>
    public string Exec(string command) => Run("ip", $"netns exec {Name} {command}");

    public void Dispose() => Run("ip", $"netns del {Name}");

    public static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {error}");
        }

        return output;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);
}

/// <summary>Privileged tests need root. Under CI (CI=true) a missing privilege fails the test instead of skipping it.</summary>
internal static partial class Privileged
{
    public static bool IsRoot => geteuid() == 0;

    public static void Require()
    {
        if (!IsRoot)
        {
            Assert.Fail("This test needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN); run the suite as root, as CI does.");
        }
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
