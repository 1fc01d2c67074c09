using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxIsolation;

internal static unsafe partial class Interop
{
    // linux/mount.h (the mount(2) flags) and sys/mount.h (umount2 flags).
    internal const ulong MS_RDONLY = 0x1;
    internal const ulong MS_BIND = 0x1000;
    internal const ulong MS_REC = 0x4000;
    internal const ulong MS_PRIVATE = 0x40000;
    internal const ulong MS_SLAVE = 0x80000;
    internal const ulong MS_SHARED = 0x100000;
    internal const int MNT_DETACH = 0x2;

    /// <summary><c>int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mount(string source, string target, string? fstype, ulong flags, nint data);

    /// <summary><c>mount(2)</c> with paths already encoded as NUL-terminated UTF-8, for use inside a namespace.</summary>
    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static partial int mount(byte* source, byte* target, byte* fstype, ulong flags, nint data);

    /// <summary><c>int umount2(const char *target, int flags)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int umount2(string target, int flags);
}
