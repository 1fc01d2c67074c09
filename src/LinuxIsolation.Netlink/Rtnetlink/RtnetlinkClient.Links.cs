using System;
using System.Collections.Generic;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    private const int SmallRequest = 512;

    /// <summary>
    /// Asks the kernel for the link named <paramref name="name"/>. Equivalent to: <c>ip -d link show dev NAME</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">ENODEV when there is no such link.</exception>
    public Link GetLink(string name)
    {
        InterfaceName.Validate(name, nameof(name));
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteGetByName(ref writer, name);
        return GetOneLink(writer.WrittenSpan, $"RTM_GETLINK {name}");
    }

    /// <summary>Asks the kernel for the link with index <paramref name="index"/>. Equivalent to: <c>ip -d link show</c> of that index.</summary>
    /// <exception cref="NetlinkException">ENODEV when there is no such link.</exception>
    public Link GetLink(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteGetByIndex(ref writer, index);
        return GetOneLink(writer.WrittenSpan, $"RTM_GETLINK index {index}");
    }

    /// <summary>
    /// Lists every link in the namespace. Equivalent to: <c>ip -d link show</c>. When the kernel flags the dump
    /// as interrupted by a concurrent change it is repeated, up to <paramref name="maxRetries"/> times.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public IReadOnlyList<Link> ListLinks(int maxRetries = 3)
    {
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteDump(ref writer);
        lock (_gate)
        {
            return Socket.DumpAll<Link>(writer.WrittenSpan, ParseLink, maxRetries, "RTM_GETLINK dump", LinkMessages.FamilyHeaderSize).Items;
        }
    }

    private static bool ParseLink(NetlinkMessage message, out Link link)
    {
        link = LinkMessages.Parse(message);
        return true;
    }

    private Link GetOneLink(Span<byte> request, string operation)
    {
        Link? result = null;
        lock (_gate)
        {
            foreach (NetlinkMessage message in Socket.Exchange(request, operation, LinkMessages.FamilyHeaderSize))
            {
                result ??= LinkMessages.Parse(message);
            }
        }

        return result ?? throw new NetlinkDecodeException($"{operation}: the kernel acknowledged without sending the link.");
    }
}
