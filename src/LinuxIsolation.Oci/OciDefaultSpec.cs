using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

/// <summary>The default config.json that <c>lxi spec</c> writes: runc's default (<c>runc spec</c>), with lxi's host name and spec version.</summary>
public static class OciDefaultSpec
{
    /// <summary>
    /// A config running <c>sh</c> with a terminal in new pid, network, ipc, uts and mount namespaces, the standard
    /// mounts, runc's masked and read-only paths, three capabilities, RLIMIT_NOFILE 1024 and a deny-all device
    /// list. With <paramref name="rootless"/>: a user namespace mapping root to <paramref name="uid"/> and
    /// <paramref name="gid"/> instead of a network namespace, /sys bound from the host, no gid= mount options and
    /// no resources (what <c>runc spec --rootless</c> writes).
    /// </summary>
    /// <param name="rootless">Write the rootless variant.</param>
    /// <param name="uid">The host uid root maps to (rootless).</param>
    /// <param name="gid">The host gid root maps to (rootless).</param>
    public static OciSpec Create(bool rootless = false, uint uid = 0, uint gid = 0)
    {
        string[] caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];
        var spec = new OciSpec
        {
            OciVersion = OciNames.SpecVersion,
            Process = new OciProcess
            {
                Terminal = true,
                User = new OciUser { Uid = 0, Gid = 0 },
                Args = ["sh"],
                Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                Cwd = "/",
                Capabilities = new OciCapabilities { Bounding = [.. caps], Effective = [.. caps], Permitted = [.. caps] },
                Rlimits = [new OciRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
                NoNewPrivileges = true,
            },
            Root = new OciRoot { Path = "rootfs", Readonly = true },
            Hostname = "lxi",
            Mounts =
            [
                new OciMount { Destination = "/proc", Type = "proc", Source = "proc" },
                new OciMount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
                new OciMount { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
                new OciMount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
                new OciMount { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
                new OciMount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
                new OciMount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] },
            ],
            Linux = new OciLinux
            {
                Resources = new OciResources { Devices = [new OciDeviceCgroup { Allow = false, Access = "rwm" }] },
                Namespaces =
                [
                    new OciNamespace { Type = "pid" }, new OciNamespace { Type = "network" }, new OciNamespace { Type = "ipc" },
                    new OciNamespace { Type = "uts" }, new OciNamespace { Type = "mount" }, new OciNamespace { Type = "cgroup" },
                ],
                MaskedPaths =
                [
                    "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                    "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
                ],
                ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
            },
        };
        if (rootless)
        {
            MakeRootless(spec, uid, gid);
        }

        return spec;
    }

    private static void MakeRootless(OciSpec spec, uint uid, uint gid)
    {
        OciLinux linux = spec.Linux!;
        List<OciNamespace> namespaces = linux.Namespaces!.Where(n => n.Type is not ("network" or "user")).ToList();
        namespaces.Add(new OciNamespace { Type = "user" });
        linux.Namespaces = namespaces;
        linux.UidMappings = [new OciIdMapping { ContainerId = 0, HostId = uid, Size = 1 }];
        linux.GidMappings = [new OciIdMapping { ContainerId = 0, HostId = gid, Size = 1 }];
        linux.Resources = null;
        var mounts = new List<OciMount>();
        foreach (OciMount m in spec.Mounts!)
        {
            if (m.Destination == "/sys")
            {
                mounts.Add(new OciMount { Destination = "/sys", Type = "none", Source = "/sys", Options = ["rbind", "nosuid", "noexec", "nodev", "ro"] });
                continue;
            }

            m.Options = m.Options?.Where(o => !o.StartsWith("gid=", System.StringComparison.Ordinal) && !o.StartsWith("uid=", System.StringComparison.Ordinal)).ToList();
            mounts.Add(m);
        }

        spec.Mounts = mounts;
    }
}
