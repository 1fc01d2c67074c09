using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace LinuxIsolation.Cgroups;

public sealed partial class Cgroup
{
    /// <summary>
    /// Returns the controllers this cgroup can use (<c>cgroup.controllers</c>: those its parent enabled for
    /// its children, or all of the hierarchy's for the root). Equivalent to <c>cat cgroup.controllers</c>.
    /// </summary>
    public IReadOnlyList<string> GetAvailableControllers() => SplitWords(CgroupFiles.Read(this, "cgroup.controllers"));

    /// <summary>
    /// Returns the controllers enabled for this cgroup's children (<c>cgroup.subtree_control</c>).
    /// Equivalent to <c>cat cgroup.subtree_control</c>.
    /// </summary>
    public IReadOnlyList<string> GetEnabledControllers() => SplitWords(CgroupFiles.Read(this, "cgroup.subtree_control"));

    /// <summary>
    /// Enables <paramref name="controllers"/> for this cgroup's children by writing "+name ..." to
    /// <c>cgroup.subtree_control</c>. A controller this cgroup does not have gives a
    /// <see cref="CgroupControllerUnavailableException"/> saying why (for example, bound to a cgroup v1
    /// hierarchy). Equivalent to <c>echo "+memory +pids" &gt; cgroup.subtree_control</c>. Linux 4.5.
    /// </summary>
    /// <param name="controllers">Controller names, e.g. "memory", "cpu", "pids", "io", "cpuset", "hugetlb".</param>
    public void EnableControllers(params string[] controllers) => ChangeControllers('+', controllers);

    /// <summary>
    /// Disables <paramref name="controllers"/> for this cgroup's children ("-name" to <c>cgroup.subtree_control</c>).
    /// Equivalent to <c>echo "-memory" &gt; cgroup.subtree_control</c>.
    /// </summary>
    /// <param name="controllers">Controller names.</param>
    public void DisableControllers(params string[] controllers) => ChangeControllers('-', controllers);

    /// <summary>
    /// Throws a <see cref="CgroupControllerUnavailableException"/> that says why unless this cgroup has
    /// <paramref name="controller"/> in its <c>cgroup.controllers</c>.
    /// </summary>
    /// <param name="controller">A controller name, e.g. "memory".</param>
    public void RequireController(string controller)
    {
        ValidateControllerName(controller);
        if (GetAvailableControllers().Contains(controller))
        {
            return;
        }

        throw Unavailable(controller);
    }

    /// <summary>
    /// Reads any interface file of this cgroup, e.g. "memory.numa_stat" (the escape hatch for what has no typed
    /// method). Equivalent to <c>cat FILE</c>.
    /// </summary>
    /// <param name="file">The file name: one path component (validated).</param>
    public string ReadFile(string file)
    {
        CgroupName.Validate(file, nameof(file));
        return CgroupFiles.Read(this, file);
    }

    /// <summary>
    /// Writes <paramref name="value"/> to an interface file of this cgroup in one <c>write</c> (the escape hatch).
    /// Errors name the file and the value. Equivalent to <c>echo VALUE &gt; FILE</c>.
    /// </summary>
    /// <param name="file">The file name: one path component (validated).</param>
    /// <param name="value">The value.</param>
    public void WriteFile(string file, string value)
    {
        CgroupName.Validate(file, nameof(file));
        ArgumentNullException.ThrowIfNull(value);
        CgroupFiles.Write(this, file, value);
    }

    internal CgroupControllerUnavailableException Unavailable(string controller)
    {
        string? why = Hierarchy.ExplainUnavailable(controller, out string? v1);
        if (why is null)
        {
            string parent = IsRoot ? Path : Path.Substring(0, Path.LastIndexOf('/'));
            why = $"the {controller} controller is not enabled for {Path}: add it to {parent}/cgroup.subtree_control (EnableControllers on the parent)";
        }

        return new CgroupControllerUnavailableException(controller, Path, why, v1);
    }

    /// <summary>Reads a controller's file; when it is missing because the controller is, says so.</summary>
    internal string ReadFileRequiring(string controller, string file)
    {
        string? text = CgroupFiles.TryRead(this, file);
        if (text is not null)
        {
            return text;
        }

        if (!GetAvailableControllers().Contains(controller))
        {
            throw Unavailable(controller);
        }

        return CgroupFiles.Read(this, file);
    }

    private void ChangeControllers(char sign, string[] controllers)
    {
        ArgumentNullException.ThrowIfNull(controllers);
        if (controllers.Length == 0)
        {
            throw new ArgumentException("name at least one controller", nameof(controllers));
        }

        foreach (string c in controllers)
        {
            ValidateControllerName(c);
        }

        if (sign == '+')
        {
            IReadOnlyList<string> available = GetAvailableControllers();
            foreach (string c in controllers)
            {
                if (!available.Contains(c))
                {
                    throw Unavailable(c);
                }
            }
        }

        var sb = new StringBuilder();
        foreach (string c in controllers)
        {
            sb.Append(sb.Length == 0 ? string.Empty : " ").Append(sign).Append(c);
        }

        CgroupFiles.Write(this, "cgroup.subtree_control", sb.ToString());
    }

    private static void ValidateControllerName(string controller)
    {
        ArgumentException.ThrowIfNullOrEmpty(controller);
        foreach (char ch in controller)
        {
            if (!(ch is >= 'a' and <= 'z' || ch is >= '0' and <= '9' || ch == '_'))
            {
                throw new ArgumentException($"controller name \"{controller}\" is invalid: lower-case letters, digits and '_' only", nameof(controller));
            }
        }
    }

    private static string[] SplitWords(string text) => text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
