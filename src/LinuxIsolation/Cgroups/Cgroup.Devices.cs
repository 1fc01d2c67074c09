using System;
using System.Collections.Generic;
using LinuxIsolation.Cgroups.Devices;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Cgroups;

public sealed partial class Cgroup
{
    /// <summary>
    /// Sets the cgroup's device allow-list: which device nodes its processes may make (mknod), read and write
    /// (the cgroup v2 device controller, an eBPF program of type <c>BPF_PROG_TYPE_CGROUP_DEVICE</c>; the v1
    /// equivalent is <c>echo 'c 1:3 rwm' &gt; devices.allow</c>). The rules are read in order, the last that matches
    /// an access decides, and an access no rule matches is refused with EPERM
    /// (<see cref="DeviceRules.ContainerDefaults"/> is what a container needs). The new program is attached first,
    /// then every device program attached to this cgroup before is detached, so there is no moment without
    /// one (this replaces programs others attached here too, as runc does; those of ancestor cgroups still apply).
    /// Needs CAP_SYS_ADMIN and Linux 4.15.
    /// </summary>
    /// <param name="rules">The allow-list; see <see cref="DeviceRule"/>.</param>
    /// <exception cref="ArgumentException">A rule is invalid.</exception>
    /// <exception cref="LinuxSyscallException">bpf(2) failed: loading (the verifier's log is in the message), attaching or detaching.</exception>
    public void SetDeviceRules(IReadOnlyList<DeviceRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        using SafeFileDescriptor program = DeviceControl.Load(rules, nameof(rules));
        uint[] before = DeviceControl.Query(_handle, Path);
        DeviceControl.Attach(_handle, program, Path);
        DetachPrograms(before);
    }

    /// <summary>
    /// Detaches every device program attached to this cgroup (not those of its ancestors): its processes may
    /// again use every device their other restrictions allow. Needs CAP_SYS_ADMIN.
    /// </summary>
    public void ClearDeviceRules() => DetachPrograms(DeviceControl.Query(_handle, Path));

    /// <summary>The ids of the device programs attached to this cgroup itself (<c>bpftool cgroup show PATH</c>).</summary>
    public IReadOnlyList<uint> GetDeviceProgramIds() => DeviceControl.Query(_handle, Path);

    private void DetachPrograms(uint[] ids)
    {
        foreach (uint id in ids)
        {
            using SafeFileDescriptor? old = DeviceControl.OpenById(id);
            if (old is not null && !DeviceControl.TryDetach(_handle, old.DangerousFileDescriptor))
            {
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno != Errno.ENOENT)
                {
                    throw new LinuxSyscallException(errno, "bpf(BPF_PROG_DETACH)", Path, $"device program id {id}");
                }
            }
        }
    }
}
