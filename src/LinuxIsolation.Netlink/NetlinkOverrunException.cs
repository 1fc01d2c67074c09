using System.IO;

namespace LinuxIsolation.Netlink;

/// <summary>
/// The kernel dropped messages for this socket because its receive buffer was full (<c>ENOBUFS</c>).
/// On an event stream this means events were lost: re-read the state you track (dump it) and go on.
/// </summary>
public sealed class NetlinkOverrunException : IOException
{
    /// <summary>Creates the exception.</summary>
    public NetlinkOverrunException()
        : base("The netlink socket's receive buffer overflowed (ENOBUFS): messages were lost. Re-read the state you track.")
    {
        HResult = Errno.ENOBUFS;
    }
}
