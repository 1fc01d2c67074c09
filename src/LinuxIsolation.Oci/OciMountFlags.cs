using System;

namespace LinuxIsolation.Oci;

/// <summary>The mount(2) flags (<c>MS_*</c> of linux/mount.h) that config.json mount options stand for.</summary>
[Flags]
public enum OciMountFlags : ulong
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>MS_RDONLY ("ro").</summary>
    ReadOnly = 1,

    /// <summary>MS_NOSUID ("nosuid").</summary>
    NoSuid = 2,

    /// <summary>MS_NODEV ("nodev").</summary>
    NoDev = 4,

    /// <summary>MS_NOEXEC ("noexec").</summary>
    NoExec = 8,

    /// <summary>MS_SYNCHRONOUS ("sync").</summary>
    Synchronous = 16,

    /// <summary>MS_REMOUNT ("remount").</summary>
    Remount = 32,

    /// <summary>MS_MANDLOCK ("mand").</summary>
    MandatoryLock = 64,

    /// <summary>MS_DIRSYNC ("dirsync").</summary>
    DirSync = 128,

    /// <summary>MS_NOSYMFOLLOW ("nosymfollow", Linux 5.10).</summary>
    NoSymFollow = 256,

    /// <summary>MS_NOATIME ("noatime").</summary>
    NoAtime = 1024,

    /// <summary>MS_NODIRATIME ("nodiratime").</summary>
    NoDirAtime = 2048,

    /// <summary>MS_BIND ("bind").</summary>
    Bind = 4096,

    /// <summary>MS_REC ("rbind" and the r* propagation options).</summary>
    Recursive = 16384,

    /// <summary>MS_SILENT ("silent").</summary>
    Silent = 32768,

    /// <summary>MS_UNBINDABLE ("unbindable").</summary>
    Unbindable = 1 << 17,

    /// <summary>MS_PRIVATE ("private").</summary>
    Private = 1 << 18,

    /// <summary>MS_SLAVE ("slave").</summary>
    Slave = 1 << 19,

    /// <summary>MS_SHARED ("shared").</summary>
    Shared = 1 << 20,

    /// <summary>MS_RELATIME ("relatime").</summary>
    RelAtime = 1 << 21,

    /// <summary>MS_I_VERSION ("iversion").</summary>
    IVersion = 1 << 23,

    /// <summary>MS_STRICTATIME ("strictatime").</summary>
    StrictAtime = 1 << 24,

    /// <summary>MS_LAZYTIME ("lazytime", Linux 4.0).</summary>
    LazyTime = 1 << 25,
}
