using System.Globalization;

namespace LinuxIsolation.Namespaces;

/// <summary>
/// The identity of a namespace: the device and inode of its nsfs file. Two handles refer to the same
/// namespace exactly when their ids are equal. The inode is the number <c>readlink /proc/PID/ns/KIND</c>
/// shows (<c>net:[4026531840]</c>) and <c>lsns</c> lists.
/// </summary>
/// <param name="Device">The nsfs device: major number in the high 32 bits, minor number in the low 32 bits.</param>
/// <param name="Inode">The namespace's inode number.</param>
public readonly record struct NamespaceId(ulong Device, ulong Inode)
{
    /// <summary>Formats as <c>DEVICE:INODE</c> with the device as <c>major,minor</c>, e.g. <c>0,4:4026531840</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Device >> 32},{Device & 0xffffffff}:{Inode}");
}
