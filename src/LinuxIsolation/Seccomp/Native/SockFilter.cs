using System.Runtime.InteropServices;

namespace LinuxIsolation.Seccomp.Native;

/// <summary>
/// One classic BPF instruction (<c>linux/filter.h</c>), 8 bytes in the host's byte order:
/// <code>
/// struct sock_filter {
///     __u16 code;   /* actual filter code */
///     __u8  jt;     /* jump true */
///     __u8  jf;     /* jump false */
///     __u32 k;      /* generic multiuse field */
/// };
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sock_filter
{
    internal ushort code;
    internal byte jt;
    internal byte jf;
    internal uint k;

    internal sock_filter(ushort code, byte jt, byte jf, uint k)
    {
        this.code = code;
        this.jt = jt;
        this.jf = jf;
        this.k = k;
    }
}

/// <summary>
/// <code>
/// struct sock_fprog {
///     unsigned short len;   /* number of filter blocks */
///     struct sock_filter *filter;
/// };
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sock_fprog
{
    internal ushort len;
    internal sock_filter* filter;
}
