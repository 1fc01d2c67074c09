using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LinuxIsolation.Cni;
using Microsoft.Win32.SafeHandles;

namespace LinuxIsolation.LxiCni;

/// <summary>
/// host-local's allocator, same on-disk state: in <c>DATADIR/NETWORK/</c> one file per address in use, named by the
/// address and holding <c>CONTAINERID\r\nIFNAME</c>, <c>last_reserved_ip.0</c> with the last address handed out,
/// and a <c>lock</c> file held with <c>flock(LOCK_EX)</c> around every read-modify-write, so concurrent plugin
/// processes never hand out one address twice. IPv4, one range set.
/// </summary>
internal sealed partial class HostLocalIpam
{
    /// <summary>The <c>ipam.type</c> lxi-cni serves itself; every other type is run from <c>CNI_PATH</c> (<see cref="DelegatedIpam"/>).</summary>
    public const string BuiltInType = "host-local";

    internal const string DefaultDataDir = "/var/lib/cni/networks";

    private HostLocalIpam(string directory, IPNetwork subnet, IPAddress gateway, uint first, uint last, IReadOnlyList<CniRoute> routes)
    {
        Directory = directory;
        Subnet = subnet;
        Gateway = gateway;
        First = first;
        Last = last;
        Routes = routes;
    }

    public string Directory { get; }

    public IPNetwork Subnet { get; }

    public IPAddress Gateway { get; }

    public IReadOnlyList<CniRoute> Routes { get; }

    private uint First { get; }

    private uint Last { get; }

    /// <summary>Reads the <c>ipam</c> object; every problem is code 7 (or 2 for what is not supported) naming the field.</summary>
    public static HostLocalIpam From(CniNetworkConfig config)
    {
        CniIpamConfig ipam = config.Ipam ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "The network configuration has no \"ipam\".");
        if (ipam.Type != BuiltInType)
        {
            throw new InvalidOperationException($"ipam.type \"{ipam.Type}\" is delegated, not built in.");
        }

        HostLocalConfig c;
        try
        {
            c = ipam.Raw.Deserialize(PluginJsonContext.Default.HostLocalConfig)!;
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodeFailure, $"\"ipam\" field {e.Path} does not decode: {e.Message}");
        }

        HostLocalRange range;
        string field;
        if (c.Ranges is { Count: > 0 })
        {
            if (c.Ranges.Count > 1)
            {
                throw new CniException(CniErrorCode.UnsupportedField, "\"ipam.ranges\": more than one range set (dual stack) is not supported by lxi-cni yet.");
            }

            if (c.Ranges[0] is not { Count: 1 })
            {
                throw new CniException(CniErrorCode.UnsupportedField, "\"ipam.ranges[0]\" must hold exactly one range in lxi-cni.");
            }

            range = c.Ranges[0][0];
            field = "ipam.ranges[0][0]";
        }
        else
        {
            range = new HostLocalRange { Subnet = c.Subnet, RangeStart = c.RangeStart, RangeEnd = c.RangeEnd, Gateway = c.Gateway };
            field = "ipam";
        }

        if (range.Subnet is null)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}.subnet\" is missing.");
        }

        if (!CniAddress.TryParse(range.Subnet, out CniAddress subnetAddress))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}.subnet\" \"{range.Subnet}\" is not a network (PREFIX/LEN).");
        }

        if (subnetAddress.Address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new CniException(CniErrorCode.UnsupportedField, $"\"{field}.subnet\" \"{range.Subnet}\": IPv6 ranges are not supported by lxi-cni yet.");
        }

        if (subnetAddress.PrefixLength > 30)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}.subnet\" \"{range.Subnet}\" is too small (a /30 at most).");
        }

        IPNetwork subnet = subnetAddress.Network;
        uint network = ToUInt(subnet.BaseAddress);
        uint broadcast = network | (uint.MaxValue >> subnet.PrefixLength);
        IPAddress gateway = range.Gateway is null ? FromUInt(network + 1) : ParseIn(range.Gateway, $"{field}.gateway", subnet);
        uint first = range.RangeStart is null ? network + 1 : ToUInt(ParseIn(range.RangeStart, $"{field}.rangeStart", subnet));
        uint last = range.RangeEnd is null ? broadcast - 1 : ToUInt(ParseIn(range.RangeEnd, $"{field}.rangeEnd", subnet));
        if (first > last || first == network || last == broadcast)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}\": rangeStart {FromUInt(first)} to rangeEnd {FromUInt(last)} is not a range of host addresses of {subnet}.");
        }

        var routes = new List<CniRoute>();
        for (int i = 0; i < (c.Routes?.Count ?? 0); i++)
        {
            HostLocalRoute r = c.Routes![i];
            if (!CniAddress.TryParse(r.Dst, out CniAddress dst) || dst.Address.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"ipam.routes[{i}].dst\" \"{r.Dst}\" is not an IPv4 network.");
            }

            IPAddress? gw = null;
            if (r.Gw is not null && (!IPAddress.TryParse(r.Gw, out gw) || gw.AddressFamily != AddressFamily.InterNetwork))
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"ipam.routes[{i}].gw\" \"{r.Gw}\" is not an IPv4 address.");
            }

            routes.Add(new CniRoute { Destination = dst.Network, Gateway = gw });
        }

        string dataDir = c.DataDir ?? DefaultDataDir;
        if (!Path.IsPathRooted(dataDir))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"ipam.dataDir\" \"{dataDir}\" is not an absolute path.");
        }

        // The network name was validated by LinuxIsolation.Cni (no '/', no leading '.'): it cannot leave dataDir.
        return new HostLocalIpam(Path.Combine(dataDir, config.Name!), subnet, gateway, first, last, routes);
    }

    /// <summary>Allocates an address for (id, ifname), or returns the one it already holds.</summary>
    public CniAddress Allocate(string containerId, string ifName)
    {
        using SafeFileHandle lockFile = Lock();
        string owner = containerId + "\r\n" + ifName;
        foreach ((IPAddress a, string o) in ReadAllocations())
        {
            if (o == owner)
            {
                return new CniAddress(a, Subnet.PrefixLength);
            }
        }

        string lastPath = Path.Combine(Directory, "last_reserved_ip.0");
        uint start = First;
        if (File.Exists(lastPath) && IPAddress.TryParse(File.ReadAllText(lastPath).Trim(), out IPAddress? lastReserved))
        {
            uint l = ToUInt(lastReserved);
            if (l >= First && l < Last)
            {
                start = l + 1;
            }
        }

        uint gateway = ToUInt(Gateway);
        uint count = Last - First + 1;
        for (uint i = 0; i < count; i++)
        {
            uint candidate = First + ((start - First + i) % count);
            if (candidate == gateway)
            {
                continue;
            }

            IPAddress address = FromUInt(candidate);
            try
            {
                using FileStream f = new(Path.Combine(Directory, address.ToString()), FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
                f.Write(Encoding.UTF8.GetBytes(owner));
                f.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(Path.Combine(Directory, address.ToString())))
            {
                continue;
            }

            File.WriteAllText(lastPath, address.ToString());
            return new CniAddress(address, Subnet.PrefixLength);
        }

        throw new CniException(CniErrorCode.TryAgainLater, $"No address left in {FromUInt(First)} to {FromUInt(Last)} of {Subnet} (network in {Directory}).");
    }

    /// <summary>Frees every address held by (id, ifname); returns how many remain allocated in the network.</summary>
    public int Release(string containerId, string ifName) => ReleaseWhere(o => o == containerId + "\r\n" + ifName, out _);

    /// <summary>Frees every address whose owner is not valid; returns how many remain, and who was released.</summary>
    public int ReleaseWhere(Func<string, bool> release, out List<string> released)
    {
        released = [];
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        using SafeFileHandle lockFile = Lock();
        int remaining = 0;
        foreach ((IPAddress a, string o) in ReadAllocations())
        {
            if (release(o))
            {
                File.Delete(Path.Combine(Directory, a.ToString()));
                released.Add(o);
            }
            else
            {
                remaining++;
            }
        }

        return remaining;
    }

    /// <summary>The address held by (id, ifname), or null.</summary>
    public IPAddress? Find(string containerId, string ifName)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return null;
        }

        using SafeFileHandle lockFile = Lock();
        foreach ((IPAddress a, string o) in ReadAllocations())
        {
            if (o == containerId + "\r\n" + ifName)
            {
                return a;
            }
        }

        return null;
    }

    private List<(IPAddress Address, string Owner)> ReadAllocations()
    {
        var list = new List<(IPAddress, string)>();
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory))
        {
            if (IPAddress.TryParse(Path.GetFileName(file), out IPAddress? a) && a.AddressFamily == AddressFamily.InterNetwork)
            {
                list.Add((a, File.ReadAllText(file).Trim()));
            }
        }

        return list;
    }

    /// <summary>Holds <c>network.lock</c> (apart from the allocation lock, which host-local shares) until disposed: one ADD or DEL of the network at a time.</summary>
    public SafeFileHandle LockNetwork() => Lock("network.lock");

    private SafeFileHandle Lock(string name = "lock") => LockFile(Directory, name);

    /// <summary>Creates <paramref name="directory"/> and holds <c>flock(LOCK_EX)</c> on its file <paramref name="name"/> until disposed.</summary>
    internal static SafeFileHandle LockFile(string directory, string name)
    {
        System.IO.Directory.CreateDirectory(directory);
        SafeFileHandle handle = File.OpenHandle(Path.Combine(directory, name), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        while (flock(handle, LOCK_EX) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != 4)
            {
                handle.Dispose();
                throw new CniException(CniErrorCode.IoFailure, $"flock({Path.Combine(directory, name)}): errno {errno}.");
            }
        }

        // Closing the handle releases the lock.
        return handle;
    }

    private static IPAddress ParseIn(string text, string field, IPNetwork subnet)
    {
        if (!IPAddress.TryParse(text, out IPAddress? a) || a.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}\" \"{text}\" is not an IPv4 address.");
        }

        if (!subnet.Contains(a))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}\" {a} is not in {subnet}.");
        }

        return a;
    }

    internal static uint ToUInt(IPAddress a)
    {
        Span<byte> b = stackalloc byte[4];
        a.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    internal static IPAddress FromUInt(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return new IPAddress(b);
    }

    private const int LOCK_EX = 2;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(SafeFileHandle fd, int operation);
}
