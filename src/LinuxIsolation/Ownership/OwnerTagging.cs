using System;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Ownership;

/// <summary>
/// Creates links and nf_tables tables tagged with a <see cref="ResourceOwner"/>, and reads tags back. A link's tag is
/// its alias (<c>IFLA_IFALIAS</c>), a table's its nft comment (<c>NFTA_TABLE_USERDATA</c>); see
/// <see cref="NetworkNamespace.CreateNamed(string, ResourceOwner)"/> and
/// <see cref="Cgroups.Cgroup.CreateChild(string, ResourceOwner, Cgroups.CgroupResources?)"/> for namespaces and cgroups.
/// </summary>
public static class OwnerTagging
{
    /// <summary>
    /// Tags link <paramref name="index"/> with <paramref name="owner"/> by setting its alias (replacing any alias).
    /// Equivalent to: <c>ip link set dev IFINDEX alias TAG</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public static void SetLinkOwner(this RtnetlinkClient client, int index, ResourceOwner owner)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(owner);
        client.SetLinkAlias(index, owner.Tag);
    }

    /// <summary>The owner tag in a link's alias; null when the alias is absent or not a tag. Equivalent to reading <c>alias</c> in <c>ip -d link show</c>.</summary>
    public static ResourceOwner? GetOwner(this Link link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return ResourceOwner.TryParse(link.Alias, out ResourceOwner? owner) ? owner : null;
    }

    /// <summary>The owner tag in a table's comment; null when it has no comment or one that is not a tag.</summary>
    public static ResourceOwner? GetOwner(this NftTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return ResourceOwner.TryParse(table.Comment, out ResourceOwner? owner) ? owner : null;
    }

    /// <summary>
    /// Creates a bridge tagged with <paramref name="owner"/>; if tagging fails the bridge is deleted again.
    /// Equivalent to: <c>ip link add NAME type bridge; ip link set dev NAME alias TAG</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: the name is taken).</exception>
    /// <exception cref="AggregateException">Tagging failed and deleting the bridge again failed too.</exception>
    public static Link CreateBridge(this RtnetlinkClient client, string name, ResourceOwner owner)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(owner);
        Link created = client.CreateBridge(name);
        TagOrUndo(client, created, owner, () => { });
        return created with { Alias = owner.Tag };
    }

    /// <summary>
    /// Creates a veth pair in this client's namespace with both ends tagged with <paramref name="owner"/>; if
    /// tagging fails the pair is deleted again. Equivalent to:
    /// <c>ip link add NAME type veth peer name PEER; ip link set dev NAME alias TAG; ip link set dev PEER alias TAG</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: a name is taken).</exception>
    /// <exception cref="AggregateException">Tagging failed and deleting the pair again failed too.</exception>
    public static Link CreateVeth(this RtnetlinkClient client, string name, string peerName, ResourceOwner owner)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(owner);
        Link created = client.CreateVeth(name, peerName);
        TagOrUndo(client, created, owner, () => client.SetLinkAlias(client.GetLink(peerName).Index, owner.Tag));
        return created with { Alias = owner.Tag };
    }

    /// <summary>
    /// Creates a veth pair, <paramref name="name"/> in this client's namespace and <paramref name="peerName"/> directly
    /// in <paramref name="peerNamespace"/>, both ends tagged with <paramref name="owner"/> (the peer through a socket
    /// created inside its namespace); if tagging fails the pair is deleted again. Equivalent to:
    /// <c>ip link add NAME type veth peer name PEER netns NS; ip link set dev NAME alias TAG; ip -n NS link set dev PEER alias TAG</c>.
    /// Needs CAP_NET_ADMIN over both namespaces (and CAP_SYS_ADMIN to open a socket in the peer's).
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: a name is taken).</exception>
    /// <exception cref="AggregateException">Tagging failed and deleting the pair again failed too.</exception>
    public static Link CreateVeth(this RtnetlinkClient client, string name, string peerName, NetworkNamespace peerNamespace, ResourceOwner owner)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(peerNamespace);
        ArgumentNullException.ThrowIfNull(owner);
        Link created = client.CreateVeth(name, peerName, NetworkNamespaceTarget.FromHandle(peerNamespace.Handle.FileDescriptor));
        TagOrUndo(client, created, owner, () =>
        {
            using RtnetlinkClient peer = peerNamespace.OpenRtnetlink();
            peer.SetLinkAlias(peer.GetLink(peerName).Index, owner.Tag);
        });
        return created with { Alias = owner.Tag };
    }

    /// <summary>
    /// Adds to <paramref name="transaction"/> the creation of table <paramref name="name"/> with
    /// <paramref name="owner"/>'s tag as its comment: table and tag appear in one atomic commit. The commit fails with
    /// EEXIST if the table exists (an existing table's comment cannot be changed). Equivalent to:
    /// <c>nft create table FAMILY NAME { comment "TAG"; }</c>. Needs CAP_NET_ADMIN at commit; Linux 5.13 (older
    /// kernels do not keep table user data, so the table would be untagged and never found by <see cref="Leftovers"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The family or name is not valid.</exception>
    public static NftTransaction CreateTable(this NftTransaction transaction, NftFamily family, string name, ResourceOwner owner)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(owner);
        return transaction.CreateTable(new NftTable(family, name) { UserData = NftTableComment.Encode(owner.Tag) });
    }

    /// <summary>
    /// The same ruleset with <paramref name="owner"/>'s tag as its table comment, so that the table
    /// <see cref="Netlink.Nftables.NftNatBackend.Apply"/> makes carries the tag (<c>nft list table inet OWNER</c>
    /// shows <c>comment "lxi-owner ..."</c>) and <see cref="Leftovers"/> finds it after the owner crashed. Each apply
    /// re-tags the table with the applying process. The iptables backend ignores the comment.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static NatRuleset WithOwner(this NatRuleset ruleset, ResourceOwner owner)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(owner);
        return ruleset with { TableComment = owner.Tag };
    }

    private static void TagOrUndo(RtnetlinkClient client, Link created, ResourceOwner owner, Action tagPeer)
    {
        try
        {
            client.SetLinkAlias(created.Index, owner.Tag);
            tagPeer();
        }
        catch (Exception failure)
        {
            try
            {
                client.DeleteLink(created.Index);
            }
            catch (NetlinkException undo)
            {
                throw new AggregateException($"tagging link {created.Name} failed, and deleting it again failed too ({undo.Message})", failure, undo);
            }

            throw;
        }
    }
}
