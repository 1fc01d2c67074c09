using System;
using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

public static partial class OciValidator
{
    private static void ValidateMounts(IList<OciMount>? mounts, HashSet<string> namespaces, OciProblems p)
    {
        if (mounts is null)
        {
            return;
        }

        for (int i = 0; i < mounts.Count; i++)
        {
            string at = OciProblems.Index("mounts", i);
            OciMount m = mounts[i];
            if (m is null)
            {
                p.Error(at, "must be an object, not null");
                continue;
            }

            if (string.IsNullOrEmpty(m.Destination))
            {
                p.Error(at + ".destination", "is required");
            }
            else if (m.Destination.Contains('\0', StringComparison.Ordinal))
            {
                p.Error(at + ".destination", "must not contain a NUL character");
            }
            else if (!m.Destination.StartsWith('/'))
            {
                // config.md: on Linux it SHOULD be absolute; a relative one MUST be taken as relative to "/".
                p.Warn(at + ".destination", $"{OciProblems.Quote(m.Destination)} is relative: taken as /{m.Destination} (relative destinations are deprecated)");
            }

            if (m.Source?.Contains('\0', StringComparison.Ordinal) == true)
            {
                p.Error(at + ".source", "must not contain a NUL character");
            }

            IList<string> options = m.Options ?? [];
            for (int k = 0; k < options.Count; k++)
            {
                if (options[k] is null)
                {
                    p.Error(OciProblems.Index(at + ".options", k), "must be a string, not null");
                }
            }

            bool bind = options.Any(o => o is "bind" or "rbind") || m.Type == "bind";
            if (!bind && string.IsNullOrEmpty(m.Type))
            {
                p.Error(at + ".type", "is required unless options has bind or rbind");
            }

            if (bind)
            {
                string? data = options.FirstOrDefault(o => o is not null && OciMountOptions.IsFilesystemData(o));
                if (data is not null)
                {
                    p.Warn(at + ".options", $"{OciProblems.Quote(data)} is file system data, which the kernel ignores for a bind mount");
                }

                if (string.IsNullOrEmpty(m.Source))
                {
                    p.Error(at + ".source", "is required for a bind mount");
                }
            }

            if ((m.UidMappings is null) != (m.GidMappings is null))
            {
                p.Error(m.UidMappings is null ? at + ".uidMappings" : at + ".gidMappings", "must be given together with " + (m.UidMappings is null ? "gidMappings" : "uidMappings"));
            }

            ValidateIdMap(m.UidMappings, at + ".uidMappings", p);
            ValidateIdMap(m.GidMappings, at + ".gidMappings", p);
            bool idmap = options.Any(o => o is "idmap" or "ridmap");
            if (idmap && m.UidMappings is null && !namespaces.Contains("user"))
            {
                p.Error(at + ".options", "idmap needs uidMappings and gidMappings, or a user namespace whose mapping it takes");
            }

            if (idmap && !bind)
            {
                p.Error(at + ".options", "idmap is only for bind mounts");
            }
        }
    }

    private static void ValidateIdMap(IList<OciIdMapping>? map, string path, OciProblems p)
    {
        if (map is null)
        {
            return;
        }

        if (map.Count > 340)
        {
            p.Error(path, $"has {map.Count} ranges; the kernel takes at most 340");
        }

        for (int i = 0; i < map.Count; i++)
        {
            string at = OciProblems.Index(path, i);
            OciIdMapping m = map[i];
            if (m is null)
            {
                p.Error(at, "must be an object, not null");
                continue;
            }

            if (m.ContainerId is null)
            {
                p.Error(at + ".containerID", "is required");
            }

            if (m.HostId is null)
            {
                p.Error(at + ".hostID", "is required");
            }

            if (m.Size is null)
            {
                p.Error(at + ".size", "is required");
            }
            else if (m.Size == 0)
            {
                p.Error(at + ".size", "must be greater than zero");
            }

            if (m.ContainerId is null || m.HostId is null || m.Size is null or 0)
            {
                continue;
            }

            if ((ulong)m.ContainerId + m.Size.Value > uint.MaxValue || (ulong)m.HostId + m.Size.Value > uint.MaxValue)
            {
                p.Error(at, "runs past 4294967294");
            }

            for (int k = 0; k < i; k++)
            {
                OciIdMapping o = map[k];
                if (o?.ContainerId is null || o.HostId is null || o.Size is null or 0)
                {
                    continue;
                }

                if (Overlap(m.ContainerId.Value, m.Size.Value, o.ContainerId.Value, o.Size.Value))
                {
                    p.Error(at, $"overlaps {OciProblems.Index(path, k)} inside the container");
                }
                else if (Overlap(m.HostId.Value, m.Size.Value, o.HostId.Value, o.Size.Value))
                {
                    p.Error(at, $"overlaps {OciProblems.Index(path, k)} on the host");
                }
            }
        }

        static bool Overlap(uint a, uint an, uint b, uint bn) => (ulong)a < (ulong)b + bn && (ulong)b < (ulong)a + an;
    }
}
