using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// The link and address calls addressed by interface name, as <c>ip</c> takes them. Link changes send the name and
/// let the kernel find the link (one request, no race with a rename in between); the calls whose message has no
/// place for a name (addresses, renames, aliases, a master by name) look the index up first, as <c>ip</c> does.
/// </summary>
public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Asks the kernel for the link named <paramref name="name"/>; false when there is none (ENODEV), instead of an exception.
    /// Equivalent to: <c>ip link show dev NAME</c> and checking its exit status.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused for another reason than ENODEV.</exception>
    public bool TryGetLink(string name, [NotNullWhen(true)] out Link? link)
    {
        InterfaceName.Validate(name, nameof(name));
        try
        {
            link = GetLink(name);
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            link = null;
            return false;
        }
    }

    /// <summary>Asks the kernel for the link with index <paramref name="index"/>; false when there is none (ENODEV).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not positive.</exception>
    /// <exception cref="NetlinkException">The kernel refused for another reason than ENODEV.</exception>
    public bool TryGetLink(int index, [NotNullWhen(true)] out Link? link)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        try
        {
            link = GetLink(index);
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            link = null;
            return false;
        }
    }

    /// <summary>
    /// Creates a veth pair with both ends in this client's namespace and returns both.
    /// Equivalent to: <c>ip link add NAME type veth peer name PEER</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: a name is taken).</exception>
    public VethPair CreateVethPair(string name, string peerName)
    {
        Link end = CreateVeth(name, peerName);
        return new VethPair(end, GetLink(peerName));
    }

    /// <summary>Sets the link named <paramref name="name"/> up. Equivalent to: <c>ip link set dev NAME up</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void SetLinkUp(string name) => SetLinkState(name, up: true);

    /// <summary>Sets the link named <paramref name="name"/> down. Equivalent to: <c>ip link set dev NAME down</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void SetLinkDown(string name) => SetLinkState(name, up: false);

    /// <summary>Sets the MTU of the link named <paramref name="name"/>. Equivalent to: <c>ip link set dev NAME mtu MTU</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mtu"/> is 0 or above 2^31-1.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV; EINVAL: outside the device's min/max MTU).</exception>
    public void SetLinkMtu(string name, uint mtu)
    {
        InterfaceName.Validate(name, nameof(name));
        CheckMtu(mtu);

        _requests.Execute((name, mtu), static (ref NetlinkWriter w, (string Name, uint Mtu) s) => LinkMessages.WriteSetMtu(ref w, s.Name, s.Mtu),
            $"RTM_NEWLINK {name} mtu {mtu}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>Sets the hardware address of the link named <paramref name="name"/>. Equivalent to: <c>ip link set dev NAME address LLADDR</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The name is not valid, or the address is empty or longer than 32 bytes.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV; EINVAL: wrong length; EADDRNOTAVAIL: e.g. a multicast MAC).</exception>
    public void SetLinkAddress(string name, PhysicalAddress address)
    {
        InterfaceName.Validate(name, nameof(name));
        byte[] bytes = HardwareAddressBytes(address);

        _requests.Execute((name, bytes), static (ref NetlinkWriter w, (string Name, byte[] Address) s) => LinkMessages.WriteSetAddress(ref w, s.Name, s.Address),
            $"RTM_NEWLINK {name} address {address}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Renames the link named <paramref name="name"/> (the kernel wants it down); its index is looked up first.
    /// Equivalent to: <c>ip link set dev NAME name NEWNAME</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV; EEXIST: the new name is taken; EBUSY: the link is up).</exception>
    public void SetLinkName(string name, string newName)
    {
        InterfaceName.Validate(newName, nameof(newName));
        SetLinkName(GetLink(name).Index, newName);
    }

    /// <summary>Sets the alias of the link named <paramref name="name"/>; its index is looked up first. Equivalent to: <c>ip link set dev NAME alias ALIAS</c>.</summary>
    /// <exception cref="ArgumentException">The name is not valid, or the alias is longer than 255 bytes or contains NUL.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void SetLinkAlias(string name, string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        SetLinkAlias(GetLink(name).Index, alias);
    }

    /// <summary>
    /// Makes the link named <paramref name="name"/> a port of the bridge (or other master) named <paramref name="masterName"/>,
    /// whose index is looked up first. Equivalent to: <c>ip link set dev NAME master MASTER</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link or master; EOPNOTSUPP: the master cannot take ports; ELOOP).</exception>
    public void SetLinkMaster(string name, string masterName)
    {
        InterfaceName.Validate(name, nameof(name));
        int master = GetLink(masterName).Index;
        _requests.Execute((name, master), static (ref NetlinkWriter w, (string Name, int Master) s) => LinkMessages.WriteSetMaster(ref w, s.Name, s.Master),
            $"RTM_NEWLINK {name} master {masterName}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>Releases the link named <paramref name="name"/> from its master. Equivalent to: <c>ip link set dev NAME nomaster</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void RemoveLinkMaster(string name)
    {
        InterfaceName.Validate(name, nameof(name));
        _requests.Execute(name, static (ref NetlinkWriter w, string n) => LinkMessages.WriteSetMaster(ref w, n, 0),
            $"RTM_NEWLINK {name} nomaster", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Moves the link named <paramref name="name"/> into another network namespace; it keeps its name there (and loses
    /// its addresses). Equivalent to: <c>ip link set dev NAME netns NS</c>. Needs CAP_NET_ADMIN over both namespaces.
    /// The <c>LinuxIsolation</c> package's <c>NetworkNamespace</c> converts to a <see cref="NetworkNamespaceTarget"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not valid, or <paramref name="target"/> names no namespace.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV; EEXIST: the name is taken there; EINVAL: the device cannot move, e.g. lo).</exception>
    public void MoveLinkToNamespace(string name, NetworkNamespaceTarget target)
    {
        InterfaceName.Validate(name, nameof(name));
        MoveCore((name, target), static (ref NetlinkWriter w, (string Name, NetworkNamespaceTarget Target) s) => LinkMessages.WriteSetNamespace(ref w, s.Name, s.Target),
            target, $"RTM_NEWLINK {name} to {target}");
    }

    /// <summary>Moves the link named <paramref name="name"/> into the network namespace open as <paramref name="target"/>. Equivalent to: <c>ip link set dev NAME netns NS</c>.</summary>
    /// <inheritdoc cref="MoveLinkToNamespace(string, NetworkNamespaceTarget)"/>
    public void MoveLinkToNamespace(string name, SafeHandle target) =>
        MoveLinkToNamespace(name, NetworkNamespaceTarget.FromHandle(target));

    /// <summary>
    /// Adds an address to the link named <paramref name="linkName"/> (its index is looked up first).
    /// Equivalent to: <c>ip addr add ADDRESS/PREFIX dev NAME</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not valid, or the prefix length or options do not fit the address.</exception>
    /// <exception cref="NetlinkException">The kernel refused: ENODEV (no such link), EEXIST (already there).</exception>
    public void AddAddress(string linkName, IPAddress address, int prefixLength, AddressOptions? options = null)
    {
        AddressMessages.Validate(address, prefixLength, options);
        AddAddress(GetLink(linkName).Index, address, prefixLength, options);
    }

    /// <summary>Adds an address to the link named <paramref name="linkName"/>, or replaces its settings. Equivalent to: <c>ip addr replace ADDRESS/PREFIX dev NAME</c>.</summary>
    /// <inheritdoc cref="AddAddress(string, IPAddress, int, AddressOptions?)"/>
    public void ReplaceAddress(string linkName, IPAddress address, int prefixLength, AddressOptions? options = null)
    {
        AddressMessages.Validate(address, prefixLength, options);
        ReplaceAddress(GetLink(linkName).Index, address, prefixLength, options);
    }

    /// <summary>Removes an address from the link named <paramref name="linkName"/>. Equivalent to: <c>ip addr del ADDRESS/PREFIX dev NAME</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The name is not valid, or the prefix length does not fit the address family.</exception>
    /// <exception cref="NetlinkException">The kernel refused: ENODEV, EADDRNOTAVAIL (no such address on the link).</exception>
    public void DeleteAddress(string linkName, IPAddress address, int prefixLength)
    {
        AddressMessages.Validate(address, prefixLength, null);
        DeleteAddress(GetLink(linkName).Index, address, prefixLength);
    }

    private void SetLinkState(string name, bool up)
    {
        InterfaceName.Validate(name, nameof(name));
        _requests.Execute((name, up), static (ref NetlinkWriter w, (string Name, bool Up) s) => LinkMessages.WriteSetUp(ref w, s.Name, s.Up),
            $"RTM_NEWLINK {name} {(up ? "up" : "down")}", LinkMessages.FamilyHeaderSize);
    }
}
