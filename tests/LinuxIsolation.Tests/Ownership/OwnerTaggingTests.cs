using System;
using System.IO;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Ownership;
using LinuxIsolation.Tests.Cgroups;
using LinuxIsolation.Tests.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Ownership;

/// <summary>Each kind of tag written by the library and read back by an independent tool, and by the library.</summary>
public class OwnerTaggingTests
{
    [Fact]
    public void NamedNamespaceCarriesTheTagOnItsLoopbackAlias()
    {
        Privileged.Require();
        ResourceOwner owner = ResourceOwner.Current(OwnerWorld.OwnerName("netns"));
        string name = NsTool.UniqueName("own-tag");
        try
        {
            using NetworkNamespace ns = NetworkNamespace.CreateNamed(name, owner);
            Assert.Equal(name, ns.Name);
            Assert.Contains(name, NsTool.IpNetnsList());
            Assert.Equal(owner.Tag, OwnerWorld.IpAlias(name, "lo"));
            Assert.Equal(owner, ns.ReadOwner());
            using NetworkNamespace again = NetworkNamespace.Open(name);
            Assert.True(again.IsSameAs(ns));
        }
        finally
        {
            OwnerWorld.DeleteNamespaceIfPresent(name);
        }

        Assert.DoesNotContain(name, NsTool.IpNetnsList());
    }

    [Fact]
    public void TakenNameFailsWithEexistAndLeavesTheExistingNamespaceAlone()
    {
        Privileged.Require();
        ResourceOwner owner = ResourceOwner.Current(OwnerWorld.OwnerName("taken"));
        string name = NsTool.UniqueName("own-taken");
        NsTool.Run("ip", "netns", "add", name);
        try
        {
            var e = Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.CreateNamed(name, owner));
            Assert.Equal(Errno.EEXIST, e.Errno);
            Assert.Contains("nothing was changed", e.Message, StringComparison.Ordinal);
            Assert.Null(OwnerWorld.IpAlias(name, "lo"));
            using NetworkNamespace existing = NetworkNamespace.Open(name);
            Assert.Null(existing.ReadOwner());
        }
        finally
        {
            OwnerWorld.DeleteNamespaceIfPresent(name);
        }
    }

    [Fact]
    public void VethEndsAndBridgeCarryTheTagAsAlias()
    {
        Privileged.Require();
        ResourceOwner owner = ResourceOwner.Current(OwnerWorld.OwnerName("link"));
        string worldName = NsTool.UniqueName("own-lw");
        string peerName = NsTool.UniqueName("own-lp");
        string a = OwnerWorld.LinkName('a'), b = OwnerWorld.LinkName('b'), c = OwnerWorld.LinkName('c'), d = OwnerWorld.LinkName('d'), br = OwnerWorld.LinkName('r');
        try
        {
            using NetworkNamespace world = NetworkNamespace.CreateNamed(worldName);
            using NetworkNamespace peer = NetworkNamespace.CreateNamed(peerName);
            using RtnetlinkClient rtnetlink = world.OpenRtnetlink();
            Link local = rtnetlink.CreateVeth(a, b, owner);
            Link across = rtnetlink.CreateVeth(c, d, peer, owner);
            Link bridge = rtnetlink.CreateBridge(br, owner);
            Assert.Equal(owner.Tag, local.Alias);
            Assert.Equal(owner, across.GetOwner());

            Assert.Equal(owner.Tag, OwnerWorld.IpAlias(worldName, a));
            Assert.Equal(owner.Tag, OwnerWorld.IpAlias(worldName, b));
            Assert.Equal(owner.Tag, OwnerWorld.IpAlias(worldName, c));
            Assert.Equal(owner.Tag, OwnerWorld.IpAlias(peerName, d));
            Assert.Equal(owner.Tag, OwnerWorld.IpAlias(worldName, br));
            Assert.Equal(owner, rtnetlink.GetLink(bridge.Index).GetOwner());

            // Another program's alias is not a tag.
            rtnetlink.SetLinkAlias(bridge.Index, "uplink to the lab");
            Assert.Null(rtnetlink.GetLink(bridge.Index).GetOwner());
            rtnetlink.SetLinkOwner(bridge.Index, owner);
            Assert.Equal(owner.Tag, OwnerWorld.IpAlias(worldName, br));
        }
        finally
        {
            OwnerWorld.DeleteNamespaceIfPresent(worldName);
            OwnerWorld.DeleteNamespaceIfPresent(peerName);
        }
    }

    [Fact]
    public void TaggedVethWithAPeerNameTakenLeavesNothing()
    {
        Privileged.Require();
        ResourceOwner owner = ResourceOwner.Current(OwnerWorld.OwnerName("vfail"));
        string worldName = NsTool.UniqueName("own-vf");
        string a = OwnerWorld.LinkName('a'), b = OwnerWorld.LinkName('b');
        try
        {
            using NetworkNamespace world = NetworkNamespace.CreateNamed(worldName);
            using RtnetlinkClient rtnetlink = world.OpenRtnetlink();
            rtnetlink.CreateBridge(b);
            var e = Assert.Throws<NetlinkException>(() => rtnetlink.CreateVeth(a, b, owner));
            Assert.Equal(Errno.EEXIST, e.Errno);
            Assert.DoesNotContain(a, OwnerWorld.IpLinks(worldName));
            Assert.Null(OwnerWorld.IpAlias(worldName, b));
        }
        finally
        {
            OwnerWorld.DeleteNamespaceIfPresent(worldName);
        }
    }

    [Fact]
    public void CgroupCarriesTheTagAsAUserExtendedAttribute()
    {
        ResourceOwner owner = ResourceOwner.Current(OwnerWorld.OwnerName("cg"));
        using var t = new TestCgroup();
        using Cgroup tagged = t.Group.CreateChild("tagged", owner);
        Assert.Equal(owner.Tag, OwnerWorld.GetFattr(tagged.Path));
        Assert.Equal(owner, tagged.ReadOwner());

        using Cgroup plain = t.Group.CreateChild("plain");
        Assert.Null(plain.ReadOwner());
        plain.SetOwner(owner);
        Assert.Equal(owner.Tag, OwnerWorld.GetFattr(plain.Path));

        // Taken name: EEXIST, the existing cgroup keeps its (absent) tag.
        using Cgroup other = t.Group.CreateChild("other");
        var e = Assert.Throws<CgroupException>(() => t.Group.CreateChild("other", owner));
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Null(other.ReadOwner());
    }

    [Fact]
    public void TaggedCgroupWhoseLimitFailsIsRemovedAgain()
    {
        ResourceOwner owner = ResourceOwner.Current(OwnerWorld.OwnerName("cgfail"));
        using var t = new TestCgroup();

        // The kernel refuses the value (EINVAL) after mkdir and the tag: the child must go again.
        var e = Assert.Throws<CgroupException>(() => t.Group.CreateChild("limited", owner,
            new CgroupResources { Raw = new System.Collections.Generic.Dictionary<string, string> { ["cgroup.max.depth"] = "bogus" } }));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.False(Directory.Exists(Path.Combine(t.Group.Path, "limited")));
    }

    [Fact]
    public void TableCarriesTheTagAsItsNftComment()
    {
        Privileged.Require();
        ResourceOwner owner = ResourceOwner.Current(OwnerWorld.OwnerName("nft"));
        string name = NsTool.UniqueName("own-nft");
        string table = OwnerWorld.Name("t");
        try
        {
            using NetworkNamespace ns = NetworkNamespace.CreateNamed(name);
            using var nft = new NftablesClient(ns.OpenNetlinkSocket(NetlinkProtocol.Netfilter));
            nft.Commit(new NftTransaction().CreateTable(NftFamily.Inet, table, owner).AddTable(NftFamily.Inet, "plain"));

            Assert.Contains($"comment \"{owner.Tag}\"", OwnerWorld.NftListTable(name, table), StringComparison.Ordinal);
            NftTable listed = Assert.Single(nft.ListTables(), x => x.Name == table);
            Assert.Equal(owner, listed.GetOwner());
            Assert.Equal(owner, nft.GetTable(NftFamily.Inet, table)!.GetOwner());
            Assert.Null(nft.GetTable(NftFamily.Inet, "plain")!.GetOwner());

            // An existing table cannot be created again, tag or not.
            var e = Assert.Throws<NftTransactionException>(() => nft.Commit(new NftTransaction().CreateTable(NftFamily.Inet, "plain", owner)));
            Assert.Equal(Errno.EEXIST, e.NativeErrorCode);
        }
        finally
        {
            OwnerWorld.DeleteNamespaceIfPresent(name);
        }
    }

    [Fact]
    public void NatTableAppliedWithAnOwnerCarriesTheTagAndIsFound()
    {
        Privileged.Require();
        ResourceOwner owner = ResourceOwner.Current(OwnerWorld.OwnerName("nat"));
        string name = NsTool.UniqueName("own-nat");
        string table = OwnerWorld.Name("nat");
        try
        {
            using NetworkNamespace ns = NetworkNamespace.CreateNamed(name);
            using var nft = new NftablesClient(ns.OpenNetlinkSocket(NetlinkProtocol.Netfilter));
            var nat = new NftNatBackend(nft);
            var rules = new NatRuleset(table) { Masquerades = [new NatMasquerade("10.88.0.0/16")] };
            nat.Apply(rules.WithOwner(owner));
            // Applying again replaces the table: the comment is made afresh with it.
            nat.Apply(rules.WithOwner(owner));

            string listed = OwnerWorld.NftListTable(name, table);
            Assert.Contains($"comment \"{owner.Tag}\"", listed, StringComparison.Ordinal);
            Assert.Contains("masquerade", listed, StringComparison.Ordinal);
            Assert.Equal(owner, nft.GetTable(NftFamily.Inet, table)!.GetOwner());

            // The owner is alive: found, but kept.
            LeftoverSurvey survey = Leftovers.Find(owner.Name, new LeftoverScope { CurrentNetworkNamespace = false });
            Leftover found = Assert.Single(survey.Kept, l => l.Kind == LeftoverKind.NftTable);
            Assert.Equal(table, found.Name);
            Assert.Equal(name, found.NetworkNamespace);
            Assert.Empty(survey.Orphans);

            // Without an owner the table carries no comment.
            nat.Apply(rules);
            Assert.DoesNotContain("comment", OwnerWorld.NftListTable(name, table), StringComparison.Ordinal);
        }
        finally
        {
            OwnerWorld.DeleteNamespaceIfPresent(name);
        }
    }
}
