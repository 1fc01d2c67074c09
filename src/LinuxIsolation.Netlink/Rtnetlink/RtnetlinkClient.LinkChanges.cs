using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using System.Text;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Creates a veth pair: <paramref name="name"/> in this client's namespace and <paramref name="peerName"/>
    /// created directly in <paramref name="peerNamespace"/> (default: this namespace too). The kernel creates
    /// both ends in one request: when the peer cannot be placed (e.g. its name is taken there), neither end
    /// exists afterwards. Equivalent to: <c>ip link add NAME type veth peer name PEER [netns NS]</c>.
    /// Needs CAP_NET_ADMIN over both namespaces.
    /// </summary>
    /// <returns>The new end in this namespace (the kernel's echo on Linux 6.3+, a lookup before).</returns>
    /// <exception cref="ArgumentException">A name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused: EEXIST (a name is taken), EBADF (not a namespace descriptor), ESRCH (no such pid).</exception>
    public Link CreateVeth(string name, string peerName, NetworkNamespaceTarget peerNamespace = default) =>
        CreateVeth(name, peerName, peerNamespace, default);

    /// <summary>
    /// Creates a veth pair as <see cref="CreateVeth(string, string, NetworkNamespaceTarget)"/> does, the end in this
    /// namespace also made a port of a bridge and set up in the same request when <paramref name="options"/> say so.
    /// Equivalent to: <c>ip link add NAME [up] [master MASTER] type veth peer name PEER [netns NS]</c>. Needs CAP_NET_ADMIN over both namespaces.
    /// </summary>
    /// <param name="name">The end in this client's namespace.</param>
    /// <param name="peerName">The peer.</param>
    /// <param name="peerNamespace">Where the peer is created; the default is this namespace.</param>
    /// <param name="options">Master and up state of the end in this namespace.</param>
    /// <returns>
    /// The new end in this namespace: the kernel's echo (Linux 6.3+), sent when the link was registered and so before
    /// the master and up state were applied (its <see cref="Link.MasterIndex"/> and flags do not show them yet; <see cref="GetLink(int)"/> does).
    /// </returns>
    /// <exception cref="ArgumentException">A name is not a valid interface name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The master index is negative.</exception>
    /// <exception cref="NetlinkException">The kernel refused: EEXIST (a name is taken), EINVAL (no link with the master index), EOPNOTSUPP (the master cannot take ports); the pair is not left behind.</exception>
    public Link CreateVeth(string name, string peerName, NetworkNamespaceTarget peerNamespace, VethCreateOptions options)
    {
        InterfaceName.Validate(name, nameof(name));
        InterfaceName.Validate(peerName, nameof(peerName));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MasterIndex, nameof(options));
        bool added = peerNamespace.AddRef();
        try
        {
            string where = peerNamespace.IsSpecified ? $" ({peerName} in {peerNamespace})" : string.Empty;
            return CreateLinkCore((name, peerName, peerNamespace, options),
                static (ref NetlinkWriter w, (string Name, string Peer, NetworkNamespaceTarget Namespace, VethCreateOptions Options) s) => LinkMessages.WriteCreateVeth(ref w, s.Name, s.Peer, s.Namespace, s.Options),
                name, "veth", $"RTM_NEWLINK veth {name}/{peerName}{where}");
        }
        finally
        {
            peerNamespace.Release(added);
        }
    }

    /// <summary>
    /// Creates a veth pair whose peer is created directly in the network namespace open as <paramref name="peerNamespace"/>
    /// (e.g. <c>File.OpenHandle("/run/netns/NAME")</c>). Equivalent to: <c>ip link add NAME type veth peer name PEER netns NS</c>.
    /// </summary>
    /// <inheritdoc cref="CreateVeth(string, string, NetworkNamespaceTarget)"/>
    public Link CreateVeth(string name, string peerName, SafeHandle peerNamespace) =>
        CreateVeth(name, peerName, NetworkNamespaceTarget.FromHandle(peerNamespace));

    /// <summary>Creates a bridge. Equivalent to: <c>ip link add NAME type bridge</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: the name is taken).</exception>
    public Link CreateBridge(string name) => CreateLink(name, "bridge");

    /// <summary>
    /// Creates a link of kind <paramref name="kind"/> with no kind-specific settings (e.g. "bridge", "dummy").
    /// Equivalent to: <c>ip link add NAME type KIND</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The name or kind is not valid.</exception>
    /// <exception cref="NetlinkException">
    /// The kernel refused. A kind this kernel lacks fails with EOPNOTSUPP and a message saying the kind "is not
    /// supported by this kernel" (the kernel's own text, "Unknown device type", is kept in <see cref="NetlinkException.KernelMessage"/>).
    /// </exception>
    public Link CreateLink(string name, string kind)
    {
        InterfaceName.Validate(name, nameof(name));
        LinkMessages.ValidateKind(kind, nameof(kind));
        return CreateLinkCore((name, kind), static (ref NetlinkWriter w, (string Name, string Kind) s) => LinkMessages.WriteCreate(ref w, s.Name, s.Kind),
            name, kind, $"RTM_NEWLINK {kind} {name}");
    }

    /// <summary>
    /// Creates a macvlan link on top of link <paramref name="parentIndex"/>.
    /// Equivalent to: <c>ip link add NAME link PARENT type macvlan mode MODE</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The name, parent index or mode is not valid.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such parent; EINVAL: the parent cannot carry macvlans, e.g. loopback).</exception>
    public Link CreateMacvlan(string name, int parentIndex, MacvlanMode mode = MacvlanMode.Bridge)
    {
        InterfaceName.Validate(name, nameof(name));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parentIndex);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentException($"{(uint)mode} is not a macvlan mode.", nameof(mode));
        }

        return CreateLinkCore((name, parentIndex, mode),
            static (ref NetlinkWriter w, (string Name, int Parent, MacvlanMode Mode) s) => LinkMessages.WriteCreateMacvlan(ref w, s.Name, s.Parent, s.Mode),
            name, "macvlan", $"RTM_NEWLINK macvlan {name} on index {parentIndex}");
    }

    /// <summary>
    /// Creates a VXLAN link. Equivalent to: <c>ip link add NAME type vxlan id ID [dstport PORT] [remote|group ADDR] [local ADDR] [dev DEV]</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The name or settings are not valid.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: a VXLAN with that id and port exists).</exception>
    public Link CreateVxlan(string name, VxlanOptions options)
    {
        InterfaceName.Validate(name, nameof(name));
        LinkMessages.ValidateVxlan(options);
        return CreateLinkCore((name, options), static (ref NetlinkWriter w, (string Name, VxlanOptions Options) s) => LinkMessages.WriteCreateVxlan(ref w, s.Name, s.Options),
            name, "vxlan", $"RTM_NEWLINK vxlan {name} id {options.Id}");
    }

    /// <summary>Sets a link administratively up. Equivalent to: <c>ip link set dev IFINDEX up</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void SetLinkUp(int index) => SetLinkState(index, up: true);

    /// <summary>Sets a link administratively down. Equivalent to: <c>ip link set dev IFINDEX down</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void SetLinkDown(int index) => SetLinkState(index, up: false);

    /// <summary>Sets a link's MTU. Equivalent to: <c>ip link set dev IFINDEX mtu MTU</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mtu"/> is 0 or above 2^31-1.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EINVAL: outside the device's min/max MTU, with the kernel's text).</exception>
    public void SetLinkMtu(int index, uint mtu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        CheckMtu(mtu);

        _requests.Execute((index, mtu), static (ref NetlinkWriter w, (int Index, uint Mtu) s) => LinkMessages.WriteSetMtu(ref w, s.Index, s.Mtu),
            $"RTM_NEWLINK index {index} mtu {mtu}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>Sets a link's hardware (MAC) address. Equivalent to: <c>ip link set dev IFINDEX address LLADDR</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The address is empty or longer than 32 bytes (<c>MAX_ADDR_LEN</c>).</exception>
    /// <exception cref="NetlinkException">The kernel refused (EINVAL: wrong length for the device; EADDRNOTAVAIL: e.g. a multicast MAC).</exception>
    public void SetLinkAddress(int index, PhysicalAddress address)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        byte[] bytes = HardwareAddressBytes(address);

        _requests.Execute((index, bytes), static (ref NetlinkWriter w, (int Index, byte[] Address) s) => LinkMessages.WriteSetAddress(ref w, s.Index, s.Address),
            $"RTM_NEWLINK index {index} address {address}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>Renames a link (the kernel wants it down). Equivalent to: <c>ip link set dev IFINDEX name NEWNAME</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The new name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: the name is taken; EBUSY: the link is up).</exception>
    public void SetLinkName(int index, string newName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        InterfaceName.Validate(newName, nameof(newName));
        _requests.Execute((index, newName), static (ref NetlinkWriter w, (int Index, string Name) s) => LinkMessages.WriteSetName(ref w, s.Index, s.Name),
            $"RTM_NEWLINK index {index} name {newName}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Sets a link's alias (free text shown by <c>ip link</c>); an empty string removes it.
    /// Equivalent to: <c>ip link set dev IFINDEX alias ALIAS</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The alias is longer than 255 bytes or contains NUL.</exception>
    public void SetLinkAlias(int index, string alias)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        ArgumentNullException.ThrowIfNull(alias);
        int bytes = Encoding.UTF8.GetByteCount(alias);
        if (bytes > LinkMessages.MaxAliasLength || alias.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"An alias is at most {LinkMessages.MaxAliasLength} bytes without NUL; this one is {bytes} bytes.", nameof(alias));
        }

        _requests.Execute((index, alias), static (ref NetlinkWriter w, (int Index, string Alias) s) => LinkMessages.WriteSetAlias(ref w, s.Index, s.Alias),
            $"RTM_NEWLINK index {index} alias", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Makes a link a port of master <paramref name="masterIndex"/> (a bridge). Equivalent to: <c>ip link set dev IFINDEX master MASTER</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV; EOPNOTSUPP: the master cannot take ports; ELOOP).</exception>
    public void SetLinkMaster(int index, int masterIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(masterIndex);
        SetMasterCore(index, masterIndex, $"RTM_NEWLINK index {index} master {masterIndex}");
    }

    /// <summary>
    /// Turns hairpin mode of a bridge port on or off: with it on, the bridge may send a frame back out of the port it came
    /// in on (what a container reaching itself through a published host port needs). Equivalent to:
    /// <c>ip link set dev IFINDEX type bridge_slave hairpin on|off</c>. Needs CAP_NET_ADMIN; Linux 3.x (bridge port options
    /// over <c>IFLA_INFO_SLAVE_DATA</c>, 3.19).
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused (EOPNOTSUPP or EINVAL: the link is not a bridge port; ENODEV: no such link).</exception>
    public void SetBridgePortHairpin(int index, bool on)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        _requests.Execute((index, on), static (ref NetlinkWriter w, (int Index, bool On) s) => LinkMessages.WriteSetBridgePortHairpin(ref w, s.Index, s.On),
            $"RTM_NEWLINK index {index} bridge_slave hairpin {(on ? "on" : "off")}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>Releases a link from its master. Equivalent to: <c>ip link set dev IFINDEX nomaster</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void RemoveLinkMaster(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        SetMasterCore(index, 0, $"RTM_NEWLINK index {index} nomaster");
    }

    /// <summary>
    /// Moves a link into another network namespace; it keeps its name there (and loses its addresses).
    /// Equivalent to: <c>ip link set dev IFINDEX netns NS</c>. Needs CAP_NET_ADMIN over both namespaces.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> names no namespace.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: the name is taken there; EINVAL: the device cannot move, e.g. lo).</exception>
    public void MoveLinkToNamespace(int index, NetworkNamespaceTarget target)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        MoveCore((index, target), static (ref NetlinkWriter w, (int Index, NetworkNamespaceTarget Target) s) => LinkMessages.WriteSetNamespace(ref w, s.Index, s.Target),
            target, $"RTM_NEWLINK index {index} to {target}");
    }

    /// <summary>Moves a link into the network namespace open as <paramref name="target"/>. Equivalent to: <c>ip link set dev IFINDEX netns NS</c>.</summary>
    /// <inheritdoc cref="MoveLinkToNamespace(int, NetworkNamespaceTarget)"/>
    public void MoveLinkToNamespace(int index, SafeHandle target) =>
        MoveLinkToNamespace(index, NetworkNamespaceTarget.FromHandle(target));

    /// <summary>
    /// Deletes a link (a veth takes its peer with it). Equivalent to: <c>ip link del dev IFINDEX</c>. Needs CAP_NET_ADMIN.
    /// Deleting a veth costs the kernel tens of milliseconds; dropping its namespace is faster when that is the goal.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link; EOPNOTSUPP: e.g. lo).</exception>
    public void DeleteLink(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        _requests.Execute(index, static (ref NetlinkWriter w, int i) => LinkMessages.WriteDelete(ref w, i), $"RTM_DELLINK index {index}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>Deletes the link named <paramref name="name"/> (looked up by the kernel). Equivalent to: <c>ip link del dev NAME</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void DeleteLink(string name)
    {
        InterfaceName.Validate(name, nameof(name));
        _requests.Execute(name, static (ref NetlinkWriter w, string n) => LinkMessages.WriteDelete(ref w, n), $"RTM_DELLINK {name}", LinkMessages.FamilyHeaderSize);
    }

    private static void CheckMtu(uint mtu)
    {
        if (mtu == 0 || mtu > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(mtu), mtu, "An MTU is between 1 and 2^31-1.");
        }
    }

    private static byte[] HardwareAddressBytes(PhysicalAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length is 0 or > 32)
        {
            throw new ArgumentException($"A hardware address is 1 to 32 bytes; this one is {bytes.Length}.", nameof(address));
        }

        return bytes;
    }

    /// <summary>Sends a move into <paramref name="target"/>, holding a reference on its handle meanwhile.</summary>
    private void MoveCore<TState>(TState state, NetlinkRequestWriter<TState> write, NetworkNamespaceTarget target, string operation)
    {
        if (!target.IsSpecified)
        {
            throw new ArgumentException("The target network namespace is not specified.", nameof(target));
        }

        bool added = target.AddRef();
        try
        {
            _requests.Execute(state, write, operation, LinkMessages.FamilyHeaderSize);
        }
        finally
        {
            target.Release(added);
        }
    }

    private void SetLinkState(int index, bool up)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        _requests.Execute((index, up), static (ref NetlinkWriter w, (int Index, bool Up) s) => LinkMessages.WriteSetUp(ref w, s.Index, s.Up),
            $"RTM_NEWLINK index {index} {(up ? "up" : "down")}", LinkMessages.FamilyHeaderSize);
    }

    private void SetMasterCore(int index, int masterIndex, string operation)
    {
        _requests.Execute((index, masterIndex), static (ref NetlinkWriter w, (int Index, int Master) s) => LinkMessages.WriteSetMaster(ref w, s.Index, s.Master),
            operation, LinkMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Sends a link creation with <c>NLM_F_ECHO</c> (honoured by Linux 6.3+, which then sends the new link back
    /// before the ACK), maps "unknown kind" to a clear message, and falls back to a lookup by name.
    /// </summary>
    private Link CreateLinkCore<TState>(TState state, NetlinkRequestWriter<TState> write, string name, string kind, string operation)
    {
        Link? created;
        try
        {
            created = _requests.Get((state, write, name), static (ref NetlinkWriter w, (TState State, NetlinkRequestWriter<TState> Write, string Name) s) =>
                {
                    int start = w.Length;
                    s.Write(ref w, s.State);
                    Span<byte> header = w.WrittenSpan.Slice(start);
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(header.Slice(6));
                    BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(6), (ushort)(flags | (ushort)NetlinkMessageFlags.Echo));
                },
                (NetlinkMessage message, [MaybeNullWhen(false)] out Link link) =>
                {
                    link = null;
                    if (!LinkMessages.TryReadIndexAndName(message, out _, out ReadOnlySpan<byte> echoed) || !NameEquals(echoed, name))
                    {
                        return false;
                    }

                    link = LinkMessages.Parse(message);
                    return true;
                },
                operation, LinkMessages.FamilyHeaderSize);
        }
        catch (NetlinkException e) when (e.Errno == Errno.EOPNOTSUPP && e.KernelMessage is not null && e.KernelMessage.Contains("Unknown device type", StringComparison.Ordinal))
        {
            throw new NetlinkException(e.Errno, $"{operation}: link kind \"{kind}\" is not supported by this kernel", e.KernelMessage, e.ErrorOffset, e.AttributePath, e.MissingAttributeType);
        }

        return created ?? GetLink(name);
    }

    private static bool NameEquals(ReadOnlySpan<byte> utf8, string name)
    {
        if (utf8.Length != name.Length)
        {
            return Encoding.UTF8.GetString(utf8) == name;
        }

        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] != name[i])
            {
                return false;
            }
        }

        return true;
    }
}
