using System;
using System.Runtime.InteropServices;
using System.Text;
using LinuxIsolation.Netlink;
using LinuxIsolation.Ownership;

namespace LinuxIsolation.Cgroups;

public sealed partial class Cgroup
{
    /// <summary>
    /// The extended attribute that holds a cgroup's owner tag. A <c>user.*</c> attribute (cgroup v2, Linux 5.7+) so
    /// that whoever may write the cgroup, a delegated non-root manager included, may tag it; <c>trusted.*</c> would
    /// need CAP_SYS_ADMIN. Read it with <c>getfattr -n user.linuxisolation.owner DIR</c>.
    /// </summary>
    public const string OwnerAttributeName = "user.linuxisolation.owner";

    /// <summary>
    /// Creates the child <paramref name="name"/> tagged with <paramref name="owner"/> (the
    /// <see cref="OwnerAttributeName"/> extended attribute), then applies <paramref name="resources"/>; if tagging or
    /// a limit fails, the child is removed again (the steps of <see cref="CreateChild(string, CgroupResources?)"/> with the tag
    /// written right after the directory is made). Equivalent to:
    /// <c>mkdir PARENT/NAME; setfattr -n user.linuxisolation.owner -v TAG PARENT/NAME</c> (plus writes to its files).
    /// Needs write access to the parent; cgroup v2 with user extended attributes (Linux 5.7).
    /// </summary>
    /// <remarks>
    /// <c>mkdir</c> and the tag are two steps: a crash exactly between them leaves an empty untagged cgroup, which
    /// <see cref="Leftovers"/> never touches (it cannot know whose it is).
    /// </remarks>
    /// <param name="name">A single validated name (see <see cref="CgroupName.Validate"/>).</param>
    /// <param name="owner">The owner to tag the new cgroup with.</param>
    /// <param name="resources">Limits to set, or null.</param>
    /// <exception cref="CgroupException">The directory exists (<c>EEXIST</c>), cannot be made, or cannot be tagged (EOPNOTSUPP: no user xattrs on this hierarchy).</exception>
    /// <exception cref="UndoFailedException">A step failed and removing the child again failed too; <see cref="UndoFailedException.LeftBehind"/> names it.</exception>
    public Cgroup CreateChild(string name, ResourceOwner owner, CgroupResources? resources = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return CreateChild(name, resources, null, owner);
    }

    /// <summary>
    /// Tags this cgroup with <paramref name="owner"/> (replacing any tag). Equivalent to:
    /// <c>setfattr -n user.linuxisolation.owner -v TAG DIR</c>. Needs write access to the cgroup; Linux 5.7.
    /// </summary>
    /// <exception cref="CgroupException">The attribute could not be set (EOPNOTSUPP: the hierarchy has no user extended attributes).</exception>
    public unsafe void SetOwner(ResourceOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        byte[] value = Encoding.UTF8.GetBytes(owner.Tag);
        int rc;
        fixed (byte* p = value)
        {
            rc = Interop.fsetxattr(_handle, OwnerAttributeName, p, (nuint)value.Length, 0);
        }

        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new CgroupException(errno, "setxattr " + OwnerAttributeName, Path, owner.Tag,
                errno == Errno.EOPNOTSUPP ? "this hierarchy does not support user extended attributes (cgroup v2 on Linux 5.7+ does)" : null);
        }
    }

    /// <summary>
    /// Reads this cgroup's owner tag; null when it has none (or a value that is not a tag). Equivalent to:
    /// <c>getfattr -n user.linuxisolation.owner DIR</c>. Needs read access.
    /// </summary>
    /// <exception cref="CgroupException">Reading the attribute failed for another reason than its absence.</exception>
    public unsafe ResourceOwner? ReadOwner()
    {
        byte* buffer = stackalloc byte[256];
        nint length = Interop.fgetxattr(_handle, OwnerAttributeName, buffer, 256);
        if (length < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is NoData or Errno.EOPNOTSUPP or Errno.ERANGE)
            {
                return null;
            }

            throw new CgroupException(errno, "getxattr " + OwnerAttributeName, Path);
        }

        string text = Encoding.UTF8.GetString(buffer, (int)length);
        return ResourceOwner.TryParse(text, out ResourceOwner? owner) ? owner : null;
    }

    /// <summary>ENODATA: the attribute is not set.</summary>
    private const int NoData = 61;
}
