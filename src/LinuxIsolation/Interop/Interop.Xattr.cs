using System.Runtime.InteropServices;

namespace LinuxIsolation;

internal static unsafe partial class Interop
{
    /// <summary><c>setxattr(2)</c> flag: fail with ENODATA unless the attribute exists.</summary>
    internal const int XATTR_REPLACE = 0x2;

    /// <summary>
    /// <c>int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)</c>: sets an extended
    /// attribute of the open file (a descriptor opened read-only will do; permission is checked on the inode).
    /// </summary>
    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int fsetxattr(SafeHandle fd, string name, byte* value, nuint size, int flags);

    /// <summary>
    /// <c>ssize_t fgetxattr(int fd, const char *name, void *value, size_t size)</c>: reads an extended attribute;
    /// -1 with ENODATA when it is not set, ERANGE when <c>size</c> is too small.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint fgetxattr(SafeHandle fd, string name, byte* value, nuint size);

    /// <summary><c>int fremovexattr(int fd, const char *name)</c>: removes an extended attribute.</summary>
    [LibraryImport("libc", EntryPoint = "fremovexattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int fremovexattr(SafeHandle fd, string name);
}
