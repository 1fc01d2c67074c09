using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

/// <summary>
/// lxi's features structure (features.md), fixed at build time as the spec asks: the config versions accepted,
/// the hooks lxi runs itself, the mount options the mapping applies (not merely recognizes), the namespaces and
/// capabilities, seccomp, cgroup v2 only, and no AppArmor, SELinux, Intel RDT or id-mapped mounts yet.
/// </summary>
public static class OciFeaturesDocument
{
    /// <summary>The mount options that map to the library without an unsupported error (propagation options only where the mapping accepts them: "private"/"rprivate" under rootfsPropagation private).</summary>
    public static IReadOnlyList<string> SupportedMountOptions { get; } =
    [
        "async", "atime", "bind", "defaults", "dev", "diratime", "exec", "loud", "nodev", "noexec",
        "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid", "private", "rbind", "relatime",
        "ro", "rprivate", "rro", "rrw", "rw", "suid", "symfollow",
    ];

    /// <summary>Builds the document.</summary>
    /// <param name="version">lxi's version for the annotations, or null.</param>
    public static OciFeatures Create(string? version = null)
    {
        var annotations = new Dictionary<string, string>(System.StringComparer.Ordinal)
        {
            ["io.github.linuxisolation.lxi.cgroup"] = "v2",
        };
        if (version is not null)
        {
            annotations["io.github.linuxisolation.lxi.version"] = version;
        }

        return new OciFeatures
        {
            OciVersionMin = OciNames.MinimumSpecVersion,
            OciVersionMax = OciNames.SpecVersion,
            Hooks = ["prestart", "createRuntime", "poststart", "poststop"],
            MountOptions = SupportedMountOptions.ToList(),
            Linux = new OciLinuxFeatures
            {
                Namespaces = ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"],
                Capabilities = OciCapabilityNames.All.ToList(),
                Cgroup = new OciCgroupFeatures { V1 = false, V2 = true, Systemd = false, SystemdUser = false, Rdma = true },
                Seccomp = new OciSeccompFeatures { Enabled = true },
                Apparmor = new OciFeatureSwitch { Enabled = false },
                Selinux = new OciFeatureSwitch { Enabled = false },
                IntelRdt = new OciFeatureSwitch { Enabled = false },
                MountExtensions = new OciMountExtensionsFeatures { IdMap = new OciFeatureSwitch { Enabled = false } },
            },
            Annotations = annotations,
        };
    }
}
