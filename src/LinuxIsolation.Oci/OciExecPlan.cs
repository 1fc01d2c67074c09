using System.Collections.Generic;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci;

/// <summary>A process.json (or <c>exec</c>'s arguments) mapped for a running container by <see cref="OciBundleMapper.MapExec"/>: the start info joins the container's namespaces and cgroup; what cannot be applied is in <see cref="Unsupported"/>.</summary>
public sealed class OciExecPlan
{
    internal OciExecPlan(IsolatedProcessStartInfo startInfo, bool terminal, IReadOnlyList<OciValidationError> unsupported, IReadOnlyList<OciValidationError> warnings)
    {
        StartInfo = startInfo;
        Terminal = terminal;
        Unsupported = unsupported;
        Warnings = warnings;
    }

    /// <summary>The process: joins every namespace of the container's init (/proc/PID/ns/*), its cgroup, with the process's argv, environment, cwd, ids, capabilities, rlimits and no_new_privs.</summary>
    public IsolatedProcessStartInfo StartInfo { get; }

    /// <summary><c>terminal</c> was asked for.</summary>
    public bool Terminal { get; }

    /// <summary>The settings that cannot be applied, each with its JSON path.</summary>
    public IReadOnlyList<OciValidationError> Unsupported { get; }

    /// <summary>Settings applied differently or ignored as the spec allows.</summary>
    public IReadOnlyList<OciValidationError> Warnings { get; }

    /// <summary>Throws an <see cref="OciUnsupportedException"/> naming every setting in <see cref="Unsupported"/>.</summary>
    public void ThrowIfUnsupported()
    {
        if (Unsupported.Count > 0)
        {
            throw new OciUnsupportedException(Unsupported);
        }
    }
}
