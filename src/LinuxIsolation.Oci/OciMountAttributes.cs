using System;

namespace LinuxIsolation.Oci;

/// <summary>The mount_setattr(2) attributes (<c>MOUNT_ATTR_*</c>, Linux 5.12) that the recursive options ("rro", "rnosuid", ...) stand for, applied with AT_RECURSIVE.</summary>
[Flags]
public enum OciMountAttributes : ulong
{
    /// <summary>No attribute.</summary>
    None = 0,

    /// <summary>MOUNT_ATTR_RDONLY.</summary>
    ReadOnly = 0x1,

    /// <summary>MOUNT_ATTR_NOSUID.</summary>
    NoSuid = 0x2,

    /// <summary>MOUNT_ATTR_NODEV.</summary>
    NoDev = 0x4,

    /// <summary>MOUNT_ATTR_NOEXEC.</summary>
    NoExec = 0x8,

    /// <summary>MOUNT_ATTR_NOATIME (in the MOUNT_ATTR__ATIME field).</summary>
    NoAtime = 0x10,

    /// <summary>MOUNT_ATTR_STRICTATIME (in the MOUNT_ATTR__ATIME field).</summary>
    StrictAtime = 0x20,

    /// <summary>MOUNT_ATTR__ATIME: the access-time field (relatime is its 0 value).</summary>
    AtimeMask = 0x70,

    /// <summary>MOUNT_ATTR_NODIRATIME.</summary>
    NoDirAtime = 0x80,

    /// <summary>MOUNT_ATTR_IDMAP.</summary>
    IdMap = 0x100000,

    /// <summary>MOUNT_ATTR_NOSYMFOLLOW.</summary>
    NoSymFollow = 0x200000,
}
