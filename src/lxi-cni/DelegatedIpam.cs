using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxIsolation.Cni;
using Microsoft.Win32.SafeHandles;

namespace LinuxIsolation.LxiCni;

/// <summary>
/// An IPAM plugin other than the built-in host-local, run from <c>CNI_PATH</c> as the reference bridge plugin runs it
/// (<c>ipam.ExecAdd</c>/<c>ExecDel</c>/<c>ExecCheck</c>): same CNI variables, the network configuration on stdin, its
/// result read in whatever version it answers and converted to the one asked for.
/// </summary>
internal sealed class DelegatedIpam
{
    private DelegatedIpam(string type, string directory)
    {
        Type = type;
        Directory = directory;
    }

    /// <summary>The IPAM plugin's type (the executable's name on <c>CNI_PATH</c>).</summary>
    public string Type { get; }

    /// <summary>
    /// Where lxi-cni keeps its network lock: <c>ipam.dataDir/NETWORK</c> when the IPAM object has a <c>dataDir</c>
    /// (host-local's own state directory then), else <c>/var/lib/cni/networks/NETWORK</c>.
    /// </summary>
    public string Directory { get; }

    /// <summary>
    /// The delegated IPAM of <paramref name="config"/>, or null when its <c>ipam.type</c> is the built-in one
    /// (host-local) and lxi-cni's own field <c>"delegateIpam": true</c> does not ask for the real plugin of that name.
    /// </summary>
    public static DelegatedIpam? From(CniNetworkConfig config)
    {
        CniIpamConfig ipam = config.Ipam ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "The network configuration has no \"ipam\".");
        bool force = config.Raw.ValueKind == JsonValueKind.Object && config.Raw.TryGetProperty("delegateIpam", out JsonElement f) && f.ValueKind == JsonValueKind.True;
        if (ipam.Type == HostLocalIpam.BuiltInType && !force)
        {
            return null;
        }

        string dataDir = HostLocalIpam.DefaultDataDir;
        if (ipam.Raw.ValueKind == JsonValueKind.Object && ipam.Raw.TryGetProperty("dataDir", out JsonElement d))
        {
            if (d.ValueKind != JsonValueKind.String || !Path.IsPathRooted(d.GetString()))
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"ipam.dataDir\" {d.GetRawText()} is not an absolute path.");
            }

            dataDir = d.GetString()!;
        }

        return new DelegatedIpam(ipam.Type!, Path.Combine(dataDir, config.Name!));
    }

    /// <summary>Holds <c>network.lock</c> until disposed: one ADD or DEL of the network at a time, as with the built-in IPAM.</summary>
    public SafeFileHandle LockNetwork() => HostLocalIpam.LockFile(Directory, "network.lock");

    /// <summary>Runs the plugin's ADD and returns the lease lxi-cni configures; the caller undoes it with <see cref="Release"/>.</summary>
    public CniResult Add(CniRequest request) => CniDelegate.Add(Type, request);

    /// <summary>The one IPv4 address of an IPAM result, its gateway (the subnet's first address when it names none, as the reference bridge computes it) and routes.</summary>
    public static (CniAddress Address, IPAddress Gateway) Lease(string type, CniResult result)
    {
        CniIpConfig[] ips = result.Ips?.ToArray() ?? [];
        if (ips.Length == 0)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"IPAM plugin \"{type}\" returned no address.");
        }

        if (ips.Length > 1 || ips[0].Address.Address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new CniException(CniErrorCode.UnsupportedField, $"IPAM plugin \"{type}\" returned {string.Join(", ", ips.Select(i => i.Address.ToString()))}: lxi-cni configures one IPv4 address.");
        }

        CniAddress address = ips[0].Address;
        if (address.PrefixLength > 30)
        {
            throw new CniException(CniErrorCode.UnsupportedField, $"IPAM plugin \"{type}\" returned {address}: lxi-cni needs a subnet of at least /30 for the bridge's gateway.");
        }

        IPAddress gateway = ips[0].Gateway ?? HostLocalIpam.FromUInt(HostLocalIpam.ToUInt(address.Network.BaseAddress) + 1);
        return (address, gateway);
    }

    /// <summary>Runs the plugin's DEL.</summary>
    public void Release(CniRequest request) => CniDelegate.Delete(Type, request);

    /// <summary>Runs the plugin's CHECK.</summary>
    public void Check(CniRequest request) => CniDelegate.Check(Type, request);
}
