using System.Net;
using BenchmarkDotNet.Attributes;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Benchmarks;

/// <summary>
/// Building the requests of a container's network setup into one reused buffer: each benchmark writes one
/// complete message, byte-identical to what iproute2 sends (see the golden tests). Expected: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class EncodeBenchmarks
{
    private readonly byte[] _buffer = new byte[4096];
    private IPAddress _address = null!;
    private IPAddress _gateway = null!;

    /// <summary>Creates the addresses once, as a caller holding them would.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _address = IPAddress.Parse("10.201.0.4");
        _gateway = IPAddress.Parse("10.201.0.1");
    }

    /// <summary><c>ip link add veth0 type veth peer name eth0 netns NSFD</c> (100 bytes).</summary>
    [Benchmark]
    public int VethCreate()
    {
        var writer = new NetlinkWriter(_buffer);
        LinkMessages.WriteCreateVeth(ref writer, "veth0", "eth0", NetworkNamespaceTarget.FromFileDescriptor(4));
        return writer.Length;
    }

    /// <summary><c>ip addr add 10.201.0.4/24 dev IFINDEX</c> (40 bytes).</summary>
    [Benchmark]
    public int AddressAdd()
    {
        var writer = new NetlinkWriter(_buffer);
        AddressMessages.WriteAdd(ref writer, 2, _address, 24);
        return writer.Length;
    }

    /// <summary><c>ip route add default via 10.201.0.1</c> (36 bytes).</summary>
    [Benchmark]
    public int RouteAddDefault()
    {
        var writer = new NetlinkWriter(_buffer);
        RouteMessages.WriteAddDefault(ref writer, _gateway);
        return writer.Length;
    }

    /// <summary><c>ip link set dev IFINDEX up</c> (32 bytes).</summary>
    [Benchmark]
    public int LinkSetUp()
    {
        var writer = new NetlinkWriter(_buffer);
        LinkMessages.WriteSetUp(ref writer, 2, up: true);
        return writer.Length;
    }
}
