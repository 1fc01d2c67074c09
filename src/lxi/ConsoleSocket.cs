using System;
using System.Runtime.InteropServices;
using System.Text;

namespace LinuxIsolation.Lxi;

/// <summary>
/// runc's --console-socket protocol: connect to the AF_UNIX stream socket at the path given and send one message
/// whose data is the terminal's name and whose SCM_RIGHTS control message carries the pseudo-terminal master. The
/// receiver (conmon, the containerd shim, <c>recvtty</c>) then owns the console.
/// </summary>
internal static class ConsoleSocket
{
    /// <summary>Sends <paramref name="master"/> to the socket at <paramref name="socketPath"/>.</summary>
    public static unsafe void SendMaster(string socketPath, SafeHandle master, string name = "/dev/ptmx")
    {
        byte[] path = Encoding.UTF8.GetBytes(socketPath);
        if (path.Length >= 108)
        {
            throw new LxiException($"console socket path too long: {socketPath}");
        }

        int fd = Interop.socket(Interop.AF_UNIX, Interop.SOCK_STREAM | Interop.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new LinuxSyscallException(Marshal.GetLastPInvokeError(), "socket", socketPath);
        }

        try
        {
            Interop.SockaddrUn address = default;
            address.Family = Interop.AF_UNIX;
            for (int i = 0; i < path.Length; i++)
            {
                address.Path[i] = path[i];
            }

            if (Interop.connect(fd, &address, (uint)(2 + path.Length + 1)) != 0)
            {
                throw new LinuxSyscallException(Marshal.GetLastPInvokeError(), "connect", socketPath, "connecting to the console socket");
            }

            byte[] data = Encoding.UTF8.GetBytes(name);
            bool added = false;
            master.DangerousAddRef(ref added);
            try
            {
                fixed (byte* d = data)
                {
                    var iov = new Interop.IoVec { Base = d, Length = (nuint)data.Length };
                    var control = new Interop.CmsgOneFd
                    {
                        // CMSG_LEN(sizeof(int)): the header (16 bytes) and one int; the buffer is CMSG_SPACE (24).
                        Length = (nuint)(16 + sizeof(int)),
                        Level = Interop.SOL_SOCKET,
                        Type = Interop.SCM_RIGHTS,
                        Fd = (int)master.DangerousGetHandle(),
                    };
                    var message = new Interop.MsgHdr { Iov = &iov, IovLength = 1, Control = &control, ControlLength = (nuint)sizeof(Interop.CmsgOneFd) };
                    if (Interop.sendmsg(fd, &message, Interop.MSG_NOSIGNAL) < 0)
                    {
                        throw new LinuxSyscallException(Marshal.GetLastPInvokeError(), "sendmsg", socketPath, "sending the terminal master (SCM_RIGHTS)");
                    }
                }
            }
            finally
            {
                if (added)
                {
                    master.DangerousRelease();
                }
            }
        }
        finally
        {
            Interop.close(fd);
        }
    }
}
