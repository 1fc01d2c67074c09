using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Compare;

/// <summary>
/// "setup container-network" through the library's public API, as an orchestrator would use it. Container i:
/// <see cref="NetworkNamespace.CreateNamed(string, out RtnetlinkClient)"/> (iproute2-compatible, <c>/run/netns/C</c>,
/// and a client whose socket the namespace worker created inside C in the same entry);
/// <see cref="RtnetlinkClient.CreateVeth(string, string, NetworkNamespaceTarget, VethCreateOptions)"/> on a client bound in the host namespace,
/// with the peer eth0 created directly in C (IFLA_NET_NS_FD) and the host end made a port of br0 and up in the same
/// request (<c>ip link add hI up master br0 type veth peer name eth0 netns C</c>; the kernel's echo gives the host end's
/// index and the peer's); one <see cref="NetlinkSocket.RequestMany"/> on the client inside C: lo up, eth0 up, 10.200.A.B/16 on eth0, default route via
/// 10.200.0.1. Teardown: <see cref="NetworkNamespace.Delete(string)"/> (drops the namespace and its veth).
/// </summary>
internal sealed partial class ContainerNetworkCase : IDisposable
{
    public const string Name = "setup container-network";

    private static readonly IPAddress Gateway = IPAddress.Parse("10.200.0.1");
    private readonly string _hostName;
    private readonly string _prefix;
    private readonly string _world;
    private readonly RtnetlinkClient _host;
    private readonly int _bridgeIndex;
    private readonly byte[] _buffer = new byte[1024];
    private readonly NetlinkResult[] _results = new NetlinkResult[4];

    public ContainerNetworkCase()
    {
        _hostName = Environment.GetEnvironmentVariable("COMPARE_HOST_NETNS") ?? "";
        _prefix = Environment.GetEnvironmentVariable("COMPARE_NETNS_PREFIX") ?? "";
        if (_hostName.Length == 0 || _prefix.Length == 0)
        {
            throw new InvalidOperationException("COMPARE_HOST_NETNS and COMPARE_NETNS_PREFIX must be set (benchmarks/compare/run sets them).");
        }

        _world = System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "container-world");
        using NetworkNamespace host = NetworkNamespace.Open(_hostName);
        _host = host.OpenRtnetlink();
        _bridgeIndex = _host.GetLink("br0").Index;
    }

    private string Container(int i) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}li-{i}");

    /// <summary>Sets up container <paramref name="i"/>.</summary>
    public void Setup(int i)
    {
        using NetworkNamespace ns = NetworkNamespace.CreateNamed(Container(i), out RtnetlinkClient created);
        using RtnetlinkClient inside = created;
        Link hostEnd = _host.CreateVeth(string.Create(CultureInfo.InvariantCulture, $"h{i}"), "eth0", ns, new VethCreateOptions { MasterIndex = _bridgeIndex, Up = true });
        int eth0 = hostEnd.LinkIndex ?? throw new InvalidOperationException("The kernel's echo of the veth has no peer index (IFLA_LINK).");

        var writer = new NetlinkWriter(_buffer);
        LinkMessages.WriteSetUp(ref writer, 1, up: true);
        LinkMessages.WriteSetUp(ref writer, eth0, up: true);
        AddressMessages.WriteAdd(ref writer, eth0, new IPAddress([10, 200, (byte)(1 + i / 256), (byte)(i % 256)]), 16);
        RouteMessages.WriteAddDefault(ref writer, Gateway, eth0);
        Check(inside.Socket.RequestMany(writer.WrittenSpan, _results), 4);
    }

    /// <summary>Tears down container <paramref name="i"/>: deletes its named namespace, which takes the veth with it.</summary>
    public void Teardown(int i) => NetworkNamespace.Delete(Container(i));

    /// <summary>Sets up containers 1 and 2, describes the state with <c>container-world describe</c>, tears them down.</summary>
    public string Verify()
    {
        Setup(1);
        Setup(2);
        string description = RunWorld("describe", _hostName, Container(1), Container(2));
        Teardown(1);
        Teardown(2);
        RunWorld("quiesce", _hostName);
        return description;
    }

    /// <summary>
    /// One timed run: sets up containers 1..<paramref name="n"/>, then tears them all down; returns the wall-clock
    /// and CPU (process and reaped children, <c>getrusage</c>) nanoseconds per container, and the setup and teardown
    /// halves' wall clock per container. Then waits, untimed,
    /// until the kernel has finished dropping the namespaces.
    /// </summary>
    public (double Wall, double Cpu, double SetupWall, double TeardownWall) RunOnce(int n)
    {
        long cpu0 = ProcessCpuClock.Nanoseconds();
        long start = Stopwatch.GetTimestamp();
        for (int i = 1; i <= n; i++)
        {
            Setup(i);
        }

        long middle = Stopwatch.GetTimestamp();
        for (int i = 1; i <= n; i++)
        {
            Teardown(i);
        }

        long end = Stopwatch.GetTimestamp();
        long cpu = ProcessCpuClock.Nanoseconds() - cpu0;
        RunWorld("quiesce", _hostName);
        double ns = 1e9 / Stopwatch.Frequency;
        return ((end - start) * ns / n, (double)cpu / n, (middle - start) * ns / n, (end - middle) * ns / n);
    }

    public void Dispose() => _host.Dispose();

    /// <summary>Throws the first kernel refusal among the first <paramref name="count"/> pipelined results.</summary>
    private void Check(int failed, int count)
    {
        if (failed == 0)
        {
            return;
        }

        foreach (NetlinkResult result in _results.AsSpan(0, count))
        {
            if (result.Error is not null)
            {
                throw result.Error;
            }
        }
    }

    private string RunWorld(params string[] args)
    {
        var info = new ProcessStartInfo(_world) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("container-world did not start");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"container-world {args[0]} exited with {process.ExitCode}");
        }

        return output;
    }
}
