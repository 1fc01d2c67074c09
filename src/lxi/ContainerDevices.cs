using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Lxi;

/// <summary>
/// <c>linux.devices</c>: the device nodes config.json asks for, made by lxi in the created container's /dev while
/// the process waits at the start gate, through <c>/proc/PID/root</c> (the container's root as its mount namespace
/// sees it, so nothing is made on the host's side). Only below /dev, which is the fresh tmpfs of
/// <c>MountKind.Dev</c>: each path component must be a real directory (no symbolic link is followed), an
/// existing entry of that name is replaced. Equivalent to <c>nsenter -t PID -m mknod -m MODE PATH TYPE MAJOR MINOR</c>
/// and <c>chown UID:GID PATH</c>; needs CAP_MKNOD. The cgroup's device program allows each node (as runc does).
/// </summary>
internal static class ContainerDevices
{
    public static void Create(int pid, IList<OciDevice>? devices)
    {
        if (devices is not { Count: > 0 })
        {
            return;
        }

        string root = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/root");
        for (int i = 0; i < devices.Count; i++)
        {
            OciDevice d = devices[i];
            string at = $"linux.devices[{i}]";
            string path = d.Path ?? throw new LxiException($"{at}.path is missing");
            string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (!path.StartsWith("/dev/", StringComparison.Ordinal) || parts.Length < 2 || Array.Exists(parts, p => p is "." or ".."))
            {
                throw new LxiException($"{at}.path: \"{path}\" is not supported: lxi makes device nodes only below /dev (a path without . or ..)");
            }

            string current = root;
            for (int k = 0; k < parts.Length - 1; k++)
            {
                current += "/" + parts[k];
                var info = new DirectoryInfo(current);
                if (info.Exists && info.LinkTarget is not null)
                {
                    throw new LxiException($"{at}.path: {path} goes through a symbolic link ({string.Join('/', parts, 0, k + 1)})");
                }

                if (!info.Exists)
                {
                    Directory.CreateDirectory(current);
                }
            }

            string target = current + "/" + parts[^1];
            uint type = d.Type switch
            {
                "c" or "u" => Interop.S_IFCHR,
                "b" => Interop.S_IFBLK,
                "p" => Interop.S_IFIFO,
                _ => throw new LxiException($"{at}.type: \"{d.Type}\" is not a device type (c, u, b or p)"),
            };
            uint mode = (d.FileMode ?? 0x1b6 /* 0666 */) & 0xfff;
            if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null)
            {
                File.Delete(target);
            }

            ulong dev = type == Interop.S_IFIFO ? 0 : Interop.MakeDev((ulong)(d.Major ?? 0), (ulong)(d.Minor ?? 0));
            if (Interop.mknod(target, type | mode, dev) != 0)
            {
                throw new LinuxSyscallException(Marshal.GetLastPInvokeError(), "mknod", path, $"making {at} in the container");
            }

            // mknod applies lxi's umask: set the mode asked for exactly, then the owner.
            if (Interop.chmod(target, mode) != 0 || Interop.lchown(target, d.Uid ?? 0, d.Gid ?? 0) != 0)
            {
                throw new LinuxSyscallException(Marshal.GetLastPInvokeError(), "chown", path, $"setting the mode and owner of {at}");
            }
        }
    }
}
