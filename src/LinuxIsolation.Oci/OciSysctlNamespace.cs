namespace LinuxIsolation.Oci;

/// <summary>The kernel namespace a sysctl belongs to, which decides where it may be written from.</summary>
public enum OciSysctlNamespace
{
    /// <summary>None of the container's: a host-wide setting, which lxi refuses (as runc does).</summary>
    None,

    /// <summary>IPC namespace: kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*.</summary>
    Ipc,

    /// <summary>Network namespace: net.*.</summary>
    Network,

    /// <summary>UTS namespace: kernel.domainname (kernel.hostname is refused in favour of the hostname field).</summary>
    Uts,

    /// <summary>User namespace: user.* (ucounts limits).</summary>
    User,
}
