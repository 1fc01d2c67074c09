using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// A client of the connection tracking table over <c>NETLINK_NETFILTER</c> (ctnetlink): lists, gets, deletes and
/// flushes the entries of one network namespace, the one in which its socket was created. The equivalent of
/// <c>conntrack -L/-G/-D/-F</c>; <see cref="ConntrackMonitor"/> is that of <c>conntrack -E</c>.
/// </summary>
/// <remarks>
/// Thread-safe: calls from several threads are serialised on the one socket. Every request needs CAP_NET_ADMIN in the
/// user namespace that owns the network namespace (ctnetlink checks it for listings too). ctnetlink needs a kernel
/// with <c>CONFIG_NF_CT_NETLINK</c>; the conntrack table of a namespace holds entries only once something uses
/// connection tracking there (an nf_tables <c>ct</c> expression or NAT, an iptables conntrack match, or
/// <c>conntrack -I</c>).
/// </remarks>
public sealed partial class ConntrackClient : IDisposable
{
    private readonly object _gate = new();
    private readonly bool _ownsSocket;
    private readonly NetlinkRequests _requests;

    /// <summary>Wraps an open <see cref="NetlinkProtocol.Netfilter"/> socket.</summary>
    /// <param name="socket">The socket; its network namespace is the one this client works in.</param>
    /// <param name="ownsSocket">Dispose the socket with the client.</param>
    /// <exception cref="ArgumentException">The socket is not a <c>NETLINK_NETFILTER</c> socket.</exception>
    public ConntrackClient(NetlinkSocket socket, bool ownsSocket = true)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.Protocol != NetlinkProtocol.Netfilter)
        {
            throw new ArgumentException($"A conntrack client needs a NETLINK_NETFILTER socket, not {socket.Protocol}.", nameof(socket));
        }

        Socket = socket;
        _ownsSocket = ownsSocket;
        _requests = new NetlinkRequests(socket, _gate);
    }

    /// <summary>The underlying socket.</summary>
    public NetlinkSocket Socket { get; }

    /// <summary>
    /// The running kernel's version, which decides what a flush can leave to the kernel (see <see cref="Flush(ConntrackFilter)"/>).
    /// Tests set it to exercise the paths of other kernels.
    /// </summary>
    internal Version KernelVersion { get; set; } = Environment.OSVersion.Version;

    /// <summary>Opens a client in the calling thread's network namespace.</summary>
    /// <exception cref="NetlinkException">The socket could not be opened.</exception>
    public static ConntrackClient Open(NetlinkSocketOptions? options = null) =>
        new(NetlinkSocket.Open(NetlinkProtocol.Netfilter, options), ownsSocket: true);

    /// <summary>
    /// Lists the entries <paramref name="filter"/> selects (all when null). The kernel evaluates what it can (see
    /// <see cref="ConntrackMessages.WriteDump(ref NetlinkWriter, ConntrackFilter)"/>: family and mark on every kernel,
    /// zone from 6.8, IPv4 addresses, protocol and TCP/UDP ports from 5.8) and the library checks every condition on
    /// what comes back, so the result is the same on every kernel. Equivalent to: <c>conntrack -L [-f F] [-w ZONE]
    /// [-m MARK/MASK] [-p PROTO] [-s A] [-d A] [--sport P] [--dport P] [--reply-src A] ...</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <param name="filter">The conditions, or null for the whole table.</param>
    /// <param name="maxRetries">How many times to repeat a dump the kernel flags as interrupted.</param>
    /// <returns>The entries; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the last attempt was still interrupted.</returns>
    /// <exception cref="ArgumentException">The filter is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump (EPERM without CAP_NET_ADMIN).</exception>
    public NetlinkDumpResult<ConntrackEntry> ListEntries(ConntrackFilter? filter = null, int maxRetries = 3)
    {
        if (filter is null)
        {
            return _requests.Dump<int, ConntrackEntry>(0, static (ref NetlinkWriter w, int _) => ConntrackMessages.WriteDump(ref w),
                ParseEntry, maxRetries, "IPCTNL_MSG_CT_GET dump", ConntrackMessages.FamilyHeaderSize, ConntrackMessages.MaxRequestSize);
        }

        filter.Validate(nameof(filter));
        NetlinkDumpResult<ConntrackEntry> dumped = _requests.Dump<ConntrackFilter, ConntrackEntry>(filter, static (ref NetlinkWriter w, ConntrackFilter f) => ConntrackMessages.WriteDump(ref w, f),
            ParseEntry, maxRetries, "IPCTNL_MSG_CT_GET dump by filter", ConntrackMessages.FamilyHeaderSize, ConntrackMessages.MaxRequestSize);
        return dumped.Where(filter.Matches);
    }

    /// <summary>
    /// Asks the kernel for the entry whose original tuple is <paramref name="original"/> in zone <paramref name="zone"/>;
    /// null when there is none. Equivalent to: <c>conntrack -G -p PROTO -s SRC -d DST --sport P --dport Q</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The tuple is incomplete (both ports, or ICMP type, code and id, are needed).</exception>
    /// <exception cref="NetlinkException">The kernel refused for another reason than ENOENT.</exception>
    public ConntrackEntry? GetEntry(ConntrackTuple original, ushort zone = 0)
    {
        ArgumentNullException.ThrowIfNull(original);
        try
        {
            return _requests.Get<(ConntrackTuple, ushort), ConntrackEntry>((original, zone),
                static (ref NetlinkWriter w, (ConntrackTuple Tuple, ushort Zone) s) => ConntrackMessages.WriteGet(ref w, s.Tuple, s.Zone),
                ParseEntry, $"IPCTNL_MSG_CT_GET {ConntrackTuple.ProtocolName(original.Protocol)} {original}", ConntrackMessages.FamilyHeaderSize, ConntrackMessages.MaxRequestSize);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes the entry whose original tuple is <paramref name="original"/> in zone <paramref name="zone"/>.
    /// Equivalent to: <c>conntrack -D -p PROTO -s SRC -d DST --sport P --dport Q [-w ZONE]</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <returns>True when an entry was deleted, false when there was none (ENOENT).</returns>
    /// <exception cref="ArgumentException">The tuple is incomplete.</exception>
    /// <exception cref="NetlinkException">The kernel refused for another reason than ENOENT.</exception>
    public bool DeleteEntry(ConntrackTuple original, ushort zone = 0)
    {
        ArgumentNullException.ThrowIfNull(original);
        try
        {
            _requests.Execute((original, zone), static (ref NetlinkWriter w, (ConntrackTuple Tuple, ushort Zone) s) => ConntrackMessages.WriteDelete(ref w, s.Tuple, s.Zone),
                $"IPCTNL_MSG_CT_DELETE {ConntrackTuple.ProtocolName(original.Protocol)} {original}", ConntrackMessages.FamilyHeaderSize, ConntrackMessages.MaxRequestSize);
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            return false;
        }
    }

    /// <summary>
    /// Empties the table, or one family's part of it. Equivalent to: <c>conntrack -F [-f ipv4|ipv6]</c> (but for one
    /// family it really is one: conntrack 1.4.7 empties both). Needs CAP_NET_ADMIN; one family needs Linux 4.19 (older
    /// kernels empty both, so there the library deletes that family's entries one by one).
    /// </summary>
    /// <exception cref="ArgumentException">The family is not Unspecified, InterNetwork or InterNetworkV6.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void Flush(AddressFamily family = AddressFamily.Unspecified)
    {
        if (family != AddressFamily.Unspecified && !KernelAtLeast(4, 19))
        {
            Flush(new ConntrackFilter { Family = family });
            return;
        }

        _requests.Execute(family, static (ref NetlinkWriter w, AddressFamily f) => ConntrackMessages.WriteFlush(ref w, f),
            family == AddressFamily.Unspecified ? "IPCTNL_MSG_CT_DELETE flush" : $"IPCTNL_MSG_CT_DELETE flush {family}", ConntrackMessages.FamilyHeaderSize, ConntrackMessages.MaxRequestSize);
    }

    /// <summary>
    /// Deletes every entry <paramref name="filter"/> selects, e.g. <see cref="ConntrackFilter.ForPublishedPort"/> after a
    /// UDP port mapping changed, as the CNI portmap plugin does. When the running kernel can evaluate every condition in
    /// a flush, this is one request: the family (Linux 4.19), mark and mask, the zone (6.8), and IPv4 addresses, the
    /// protocol and TCP/UDP ports through <c>CTA_FILTER</c> (kernels that refuse <c>CTA_FILTER</c> in a flush answer
    /// EINVAL or EOPNOTSUPP, and the library falls back). Otherwise the matching entries are listed (with the kernel-side
    /// filters a dump has) and deleted one by one, each by its tuple, zone and id, pipelined in batches: a connection
    /// re-created meanwhile with the same tuple is left alone, one that ended meanwhile is skipped. Equivalent to:
    /// <c>conntrack -D [-f F] [-w ZONE] [-m MARK/MASK] [-p PROTO] [-s A] [-d A] [--sport P] [--dport P] ...</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <returns>How many entries were deleted one by one; null when the kernel flushed them in one request (it does not say how many).</returns>
    /// <exception cref="ArgumentException">The filter is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused the flush, the dump, or a deletion (the others of its batch still took effect).</exception>
    public int? Flush(ConntrackFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate(nameof(filter));
        if (CanFlushInKernel(filter))
        {
            try
            {
                _requests.Execute(filter, static (ref NetlinkWriter w, ConntrackFilter f) => ConntrackMessages.WriteFlush(ref w, f),
                    "IPCTNL_MSG_CT_DELETE flush by filter", ConntrackMessages.FamilyHeaderSize, ConntrackMessages.MaxRequestSize);
                return null;
            }
            catch (NetlinkException e) when (filter.HasTupleConditions && e.Errno is Errno.EINVAL or Errno.EOPNOTSUPP)
            {
                // A kernel without CTA_FILTER in flushes reads the partial tuple as an exact one and refuses it, or
                // refuses CTA_FILTER outright: nothing was deleted, so the entries are deleted one by one instead.
            }
        }

        return DeleteListed(ListEntries(filter));
    }

    /// <summary>Disposes the socket if the client owns it.</summary>
    public void Dispose()
    {
        if (_ownsSocket)
        {
            Socket.Dispose();
        }
    }

    /// <summary>
    /// Whether the running kernel can evaluate every condition of <paramref name="filter"/> in a flush. A kernel that
    /// ignores a condition flushes more than asked, so the family (the <c>NFNETLINK_V1</c> header), the mark and the zone
    /// are left to it only from the version that honours them (4.19, 4.19, 6.8). Tuple conditions need no version gate:
    /// a kernel that does not know <c>CTA_FILTER</c> in a flush refuses the partial tuple (EINVAL) rather than widen the
    /// flush, and <see cref="Flush(ConntrackFilter)"/> then falls back; a complete original tuple, which such a kernel would
    /// take for an exact delete in zone 0, is never sent this way.
    /// </summary>
    internal bool CanFlushInKernel(ConntrackFilter filter) =>
        (filter.EffectiveFamily == AddressFamily.Unspecified || KernelAtLeast(4, 19))
        && (filter.Mark is null || KernelAtLeast(4, 19))
        && (filter.Zone is null || KernelAtLeast(6, 8))
        && (!filter.HasTupleConditions || ConntrackMessages.CanFlushInKernel(filter));

    /// <summary>The room one delete request of a batch gets.</summary>
    private const int DeleteRequestSize = 128;

    private static bool ParseEntry(NetlinkMessage message, [MaybeNullWhen(false)] out ConntrackEntry entry) => ConntrackMessages.TryParse(message, out entry);

    private bool KernelAtLeast(int major, int minor) =>
        KernelVersion.Major > major || (KernelVersion.Major == major && KernelVersion.Minor >= minor);

    /// <summary>Deletes listed entries by tuple, zone and id, 64 requests a <c>sendmsg</c>; ENOENT (gone meanwhile) is not an error.</summary>
    private int DeleteListed(NetlinkDumpResult<ConntrackEntry> entries)
    {
        const int Batch = 64;

        // A delete by original tuple, zone and id: 16 + 4 + at most 88 (IPv6 tuple) + 8 + 8 bytes.
        if (entries.Count == 0)
        {
            return 0;
        }

        var results = new NetlinkResult[Batch];
        int deleted = 0;
        for (int start = 0; start < entries.Count; start += Batch)
        {
            int count = Math.Min(Batch, entries.Count - start);
            _requests.ExecuteMany((entries, start, count), static (ref NetlinkWriter w, (IReadOnlyList<ConntrackEntry> Entries, int Start, int Count) s) =>
            {
                for (int i = 0; i < s.Count; i++)
                {
                    ConntrackEntry e = s.Entries[s.Start + i];
                    ConntrackMessages.WriteDelete(ref w, e.Original, e.Zone, e.Id);
                }
            }, results, ConntrackMessages.FamilyHeaderSize, count * DeleteRequestSize);

            for (int i = 0; i < count; i++)
            {
                NetlinkException? error = results[i].Error;
                if (error is null)
                {
                    deleted++;
                }
                else if (error.Errno != Errno.ENOENT)
                {
                    ConntrackEntry e = entries[start + i];
                    throw error.WithOperation($"IPCTNL_MSG_CT_DELETE {ConntrackTuple.ProtocolName(e.Protocol)} {e.Original} (flush by filter: {deleted} of {entries.Count} deleted so far)");
                }
            }
        }

        return deleted;
    }
}
