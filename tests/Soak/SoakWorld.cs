using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;

namespace Soak;

/// <summary>What lives for the whole run: the throwaway host namespace with its bridge and NAT table, and the soak cgroup.</summary>
internal sealed class SoakWorld : IDisposable
{
    private const string Owner = "lxi_soak";
    private Cgroup? _cgroupRoot;
    private NetworkNamespace? _host;

    public SoakWorld(string prefix)
    {
        Prefix = prefix;
        HostName = prefix + "host";
        SoakCgroupName = prefix.TrimEnd('-');
    }

    public string Prefix { get; }

    public string HostName { get; }

    public string SoakCgroupName { get; }

    public RtnetlinkClient? HostRt { get; private set; }

    public NftablesClient? HostNft { get; private set; }

    public NftNatBackend? Nat { get; private set; }

    public Cgroup? SoakCgroup { get; private set; }

    public int BridgeIndex { get; private set; }

    /// <summary>The throwaway "host" namespace the containers hang off.</summary>
    public NetworkNamespace? Host => _host;

    /// <summary>ip netns add HOST ; ip link add br-soak type bridge ; ip addr add 10.250.0.1/16 dev br-soak ; up ; mkdir the soak cgroup.</summary>
    public void SetUp()
    {
        _host = NetworkNamespace.CreateNamed(HostName);
        HostRt = _host.OpenRtnetlink();
        HostRt.SetLinkUp(HostRt.GetLink("lo").Index);
        Link bridge = HostRt.CreateBridge("br-soak");
        BridgeIndex = bridge.Index;
        HostRt.AddAddress(BridgeIndex, IPAddress.Parse("10.250.0.1"), 16);
        HostRt.SetLinkUp(BridgeIndex);
        HostNft = new NftablesClient(_host.OpenNetlinkSocket(NetlinkProtocol.Netfilter));
        Nat = new NftNatBackend(HostNft);
        _cgroupRoot = Cgroup.OpenRoot();
        SoakCgroup = _cgroupRoot.CreateChild(SoakCgroupName);
    }

    /// <summary>Removes everything of this run (also what a failed cycle may have left) and returns what could not be removed or still exists.</summary>
    public List<string> TearDown()
    {
        var problems = new List<string>();
        void Try(string what, Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                problems.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }
        }

        if (Nat is not null)
        {
            Try("nft delete table inet " + Owner, () => Nat.Teardown(Owner));
            Try("nft list tables (host ns)", () =>
            {
                if (HostNft!.ListTables().Any(t => t.Name == Owner))
                {
                    problems.Add($"nft table {Owner} still in {HostName}");
                }
            });
        }

        HostNft?.Dispose();
        HostRt?.Dispose();
        _host?.Dispose();
        HostNft = null;
        HostRt = null;
        Nat = null;
        _host = null;

        foreach (string name in NetworkNamespace.List().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            Try("ip netns del " + name, () => NetworkNamespace.Delete(name));
        }

        if (SoakCgroup is not null)
        {
            foreach (string child in SoakCgroup.ListChildren())
            {
                Try("rmdir cgroup " + child, () => SoakCgroup.DeleteChild(child));
            }

            SoakCgroup.Dispose();
            SoakCgroup = null;
        }

        if (_cgroupRoot is not null)
        {
            Try("rmdir cgroup " + SoakCgroupName, () => _cgroupRoot.DeleteChild(SoakCgroupName));
            if (_cgroupRoot.ChildExists(SoakCgroupName))
            {
                problems.Add($"cgroup {Path.Combine(_cgroupRoot.Path, SoakCgroupName)} still exists");
            }

            _cgroupRoot.Dispose();
            _cgroupRoot = null;
        }

        foreach (string name in NetworkNamespace.List().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            problems.Add("network namespace " + name + " still exists");
        }

        return problems;
    }

    public void Dispose()
    {
        HostNft?.Dispose();
        HostRt?.Dispose();
        _host?.Dispose();
        SoakCgroup?.Dispose();
        _cgroupRoot?.Dispose();
    }
}
