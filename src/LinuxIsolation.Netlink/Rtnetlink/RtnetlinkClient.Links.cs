using System;
using System.Collections.Generic;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    private const int SmallRequest = NetlinkRequests.SmallRequest;

    /// <summary>
    /// Asks the kernel for the link named <paramref name="name"/>. Equivalent to: <c>ip -d link show dev NAME</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">ENODEV when there is no such link.</exception>
    public Link GetLink(string name)
    {
        InterfaceName.Validate(name, nameof(name));
        string operation = $"RTM_GETLINK {name}";
        return _requests.Get<string, Link>(name, static (ref NetlinkWriter w, string n) => LinkMessages.WriteGetByName(ref w, n), ParseLink, operation, LinkMessages.FamilyHeaderSize)
            ?? throw NoLink(operation);
    }

    /// <summary>Asks the kernel for the link with index <paramref name="index"/>. Equivalent to: <c>ip -d link show</c> of that index.</summary>
    /// <exception cref="NetlinkException">ENODEV when there is no such link.</exception>
    public Link GetLink(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        string operation = $"RTM_GETLINK index {index}";
        return _requests.Get<int, Link>(index, static (ref NetlinkWriter w, int i) => LinkMessages.WriteGetByIndex(ref w, i), ParseLink, operation, LinkMessages.FamilyHeaderSize)
            ?? throw NoLink(operation);
    }

    /// <summary>
    /// Lists every link in the namespace. Equivalent to: <c>ip -d link show</c>. When the kernel flags the dump
    /// as interrupted by a concurrent change it is repeated, up to <paramref name="maxRetries"/> times; the result
    /// (a list of the links) says whether the last attempt was still interrupted (<see cref="NetlinkDumpResult{T}.Interrupted"/>).
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<Link> ListLinks(int maxRetries = 3) =>
        _requests.Dump<int, Link>(0, static (ref NetlinkWriter w, int _) => LinkMessages.WriteDump(ref w), ParseLink, maxRetries, "RTM_GETLINK dump", LinkMessages.FamilyHeaderSize);

    private static bool ParseLink(NetlinkMessage message, out Link link)
    {
        link = LinkMessages.Parse(message);
        return true;
    }

    private static NetlinkDecodeException NoLink(string operation) =>
        new($"{operation}: the kernel acknowledged without sending the link.");
}
