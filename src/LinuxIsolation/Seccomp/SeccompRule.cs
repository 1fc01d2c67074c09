using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Text;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// One rule of a <see cref="SeccompFilter"/>: for the named system calls, when every condition holds, take the
/// action. libseccomp's <c>seccomp_rule_add(ctx, action, nr, n, conditions...)</c>; one entry of the OCI runtime
/// spec's <c>linux.seccomp.syscalls</c>.
/// </summary>
/// <remarks>
/// The conditions are a conjunction; a rule without conditions applies to every call of its system calls. The
/// rules of one system call are tried in the order they were added to the filter and the first that holds decides;
/// when none holds, the filter's default action does.
/// </remarks>
public sealed class SeccompRule
{
    /// <summary>Creates a rule for one system call.</summary>
    /// <param name="name">The system call's name as the kernel's headers spell it without <c>__NR_</c>, e.g. <c>openat</c>.</param>
    /// <param name="action">What to do.</param>
    /// <param name="conditions">The conditions, all of which must hold (none: always).</param>
    public SeccompRule(string name, SeccompAction action, params SeccompCondition[] conditions)
        : this([name], action, conditions)
    {
    }

    /// <summary>Creates a rule for several system calls.</summary>
    /// <param name="names">The system calls' names, at least one.</param>
    /// <param name="action">What to do.</param>
    /// <param name="conditions">The conditions, all of which must hold (null or empty: always).</param>
    /// <exception cref="ArgumentException">No name, or an empty one.</exception>
    public SeccompRule(IEnumerable<string> names, SeccompAction action, IEnumerable<SeccompCondition>? conditions = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        string[] list = names.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A seccomp rule names at least one system call.", nameof(names));
        }

        foreach (string name in list)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A seccomp rule's system call name is empty.", nameof(names));
            }
        }

        Names = new ReadOnlyCollection<string>(list);
        Action = action;
        Conditions = new ReadOnlyCollection<SeccompCondition>(conditions?.ToArray() ?? []);
    }

    /// <summary>The system calls the rule is for.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>What the kernel does when the conditions hold.</summary>
    public SeccompAction Action { get; }

    /// <summary>The argument comparisons, all of which must hold; empty for a rule that always applies.</summary>
    public IReadOnlyList<SeccompCondition> Conditions { get; }

    /// <summary>The rule as text, e.g. <c>personality: ALLOW if arg0 == 0x8</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(string.Join(",", Names)).Append(": ").Append(Action.ToString());
        for (int i = 0; i < Conditions.Count; i++)
        {
            sb.Append(i == 0 ? " if " : " && ").Append(Conditions[i].ToString());
        }

        return sb.ToString();
    }
}
