using System.Runtime.InteropServices;

namespace LinuxIsolation.Seccomp.Native;

/// <summary>
/// <code>
/// struct seccomp_data {
///     int   nr;                   /* system call number */
///     __u32 arch;                 /* AUDIT_ARCH_* */
///     __u64 instruction_pointer;
///     __u64 args[6];
/// };
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct seccomp_data
{
    internal int nr;
    internal uint arch;
    internal ulong instruction_pointer;
    internal fixed ulong args[6];
}

/// <summary>
/// <code>
/// struct seccomp_notif {      /* Linux 5.0 */
///     __u64 id;
///     __u32 pid;
///     __u32 flags;
///     struct seccomp_data data;
/// };
/// </code>
/// The kernel may grow it: the size to pass is <see cref="seccomp_notif_sizes.seccomp_notif"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct seccomp_notif
{
    internal ulong id;
    internal uint pid;
    internal uint flags;
    internal seccomp_data data;
}

/// <summary>
/// <code>
/// struct seccomp_notif_resp {
///     __u64 id;
///     __s64 val;
///     __s32 error;
///     __u32 flags;    /* SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5 */
/// };
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct seccomp_notif_resp
{
    internal ulong id;
    internal long val;
    internal int error;
    internal uint flags;
}

/// <summary>
/// <code>
/// struct seccomp_notif_sizes {
///     __u16 seccomp_notif;
///     __u16 seccomp_notif_resp;
///     __u16 seccomp_data;
/// };
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct seccomp_notif_sizes
{
    internal ushort seccomp_notif;
    internal ushort seccomp_notif_resp;
    internal ushort seccomp_data;
}

/// <summary>
/// <code>
/// struct seccomp_notif_addfd {    /* Linux 5.9 */
///     __u64 id;
///     __u32 flags;        /* SECCOMP_ADDFD_FLAG_SETFD, SECCOMP_ADDFD_FLAG_SEND (5.14) */
///     __u32 srcfd;
///     __u32 newfd;
///     __u32 newfd_flags;  /* O_CLOEXEC */
/// };
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct seccomp_notif_addfd
{
    internal ulong id;
    internal uint flags;
    internal uint srcfd;
    internal uint newfd;
    internal uint newfd_flags;
}
