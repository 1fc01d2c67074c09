using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Adds an address to a link. Equivalent to: <c>ip addr add ADDRESS/PREFIX [peer P] [broadcast B] [label L] [scope S] [nodad ...] dev IFINDEX</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <param name="linkIndex">The link's index.</param>
    /// <param name="address">The address (IPv4 or IPv6).</param>
    /// <param name="prefixLength">The prefix length: 0..32 for IPv4, 0..128 for IPv6.</param>
    /// <param name="options">Optional settings; null for none.</param>
    /// <exception cref="ArgumentException">The prefix length, peer, broadcast or label does not fit the address (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">The kernel refused: EEXIST (already there), ENODEV (no such link), EINVAL (with the kernel's text).</exception>
    public void AddAddress(int linkIndex, IPAddress address, int prefixLength, AddressOptions? options = null) =>
        ChangeAddress(linkIndex, address, prefixLength, options, replace: false);

    /// <summary>
    /// Adds an address, or replaces its settings if it is already there. Equivalent to: <c>ip addr replace ADDRESS/PREFIX ... dev IFINDEX</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <inheritdoc cref="AddAddress(int, IPAddress, int, AddressOptions?)"/>
    public void ReplaceAddress(int linkIndex, IPAddress address, int prefixLength, AddressOptions? options = null) =>
        ChangeAddress(linkIndex, address, prefixLength, options, replace: true);

    /// <summary>Removes an address from a link. Equivalent to: <c>ip addr del ADDRESS/PREFIX dev IFINDEX</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The prefix length does not fit the address family.</exception>
    /// <exception cref="NetlinkException">The kernel refused: EADDRNOTAVAIL (no such address on the link), ENODEV.</exception>
    public void DeleteAddress(int linkIndex, IPAddress address, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        AddressMessages.Validate(address, prefixLength, null);
        _requests.Execute((linkIndex, address, prefixLength), static (ref NetlinkWriter w, (int Link, IPAddress Address, int Prefix) s) => AddressMessages.WriteDelete(ref w, s.Link, s.Address, s.Prefix),
            $"RTM_DELADDR {address}/{prefixLength} dev {linkIndex}", AddressMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Lists addresses, filtered by the kernel to one link and/or one family.
    /// Equivalent to: <c>ip [-4|-6] addr show [dev IFINDEX]</c>.
    /// </summary>
    /// <param name="linkIndex">A link index, or 0 for every link.</param>
    /// <param name="family"><see cref="AddressFamily.Unspecified"/> (both), <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</param>
    /// <param name="maxRetries">How many times to repeat a dump the kernel flags as interrupted by a concurrent change.</param>
    /// <returns>The addresses; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the last attempt was still interrupted.</returns>
    /// <exception cref="ArgumentException">The family is not one of the three above.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump (ENODEV for a link index that does not exist).</exception>
    public NetlinkDumpResult<InterfaceAddress> ListAddresses(int linkIndex = 0, AddressFamily family = AddressFamily.Unspecified, int maxRetries = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(linkIndex);
        _ = AddressMessages.ToKernelFamily(family);
        return _requests.Dump<(AddressFamily, int), InterfaceAddress>((family, linkIndex), static (ref NetlinkWriter w, (AddressFamily Family, int Link) s) => AddressMessages.WriteDump(ref w, s.Family, s.Link),
            ParseAddress, maxRetries, "RTM_GETADDR dump", AddressMessages.FamilyHeaderSize);
    }

    private void ChangeAddress(int linkIndex, IPAddress address, int prefixLength, AddressOptions? options, bool replace)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        AddressMessages.Validate(address, prefixLength, options);
        _requests.Execute((linkIndex, address, prefixLength, options, replace),
            static (ref NetlinkWriter w, (int Link, IPAddress Address, int Prefix, AddressOptions? Options, bool Replace) s) => AddressMessages.WriteAdd(ref w, s.Link, s.Address, s.Prefix, s.Options, s.Replace),
            $"RTM_NEWADDR {address}/{prefixLength} dev {linkIndex}{(replace ? " (replace)" : string.Empty)}", AddressMessages.FamilyHeaderSize);
    }

    private static bool ParseAddress(NetlinkMessage message, out InterfaceAddress address)
    {
        address = AddressMessages.Parse(message);
        return true;
    }
}
