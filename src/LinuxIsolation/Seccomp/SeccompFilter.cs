using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// A seccomp filter: a default action, rules per system call with argument conditions, the architectures (ABIs) it
/// covers and the flags it is installed with. <see cref="Compile()"/> turns it into the classic BPF program the
/// kernel runs on every system call (<see cref="SeccompProgram"/>); libseccomp's <c>scmp_filter_ctx</c>, the OCI
/// runtime spec's <c>linux.seccomp</c>.
/// </summary>
/// <remarks>
/// <para>The program first checks <c>seccomp_data.arch</c>: calls of an ABI the filter does not cover get
/// <see cref="BadArchitectureAction"/>. The running architecture is always covered; <see cref="Architectures"/>
/// adds others (on x86_64: <see cref="SeccompArchitecture.I386"/> and <see cref="SeccompArchitecture.X32"/>, which
/// a 64-bit task can reach). Without x32, x32 calls (number &amp; 0x40000000) get the bad-architecture action as with
/// libseccomp, except number -1, which a tracer uses to skip a call.</para>
/// <para>The rules of one system call are tried in the order added; the first whose conditions all hold decides,
/// and the default action decides when none does. A rule without conditions ends the list for its calls.</para>
/// <para>Installing a filter needs no_new_privs (<c>prctl(PR_SET_NO_NEW_PRIVS)</c>) or CAP_SYS_ADMIN.
/// Filters: Linux 3.5.</para>
/// </remarks>
public sealed partial class SeccompFilter
{
    /// <summary>Creates an empty filter whose default action is <paramref name="defaultAction"/>.</summary>
    /// <param name="defaultAction">What happens to a call no rule decides.</param>
    public SeccompFilter(SeccompAction defaultAction)
    {
        DefaultAction = defaultAction;
    }

    private SeccompAction _defaultAction;
    private SeccompAction _badArchitectureAction = SeccompAction.KillProcess;
    private SeccompFilterFlags _flags;
    private IList<SeccompArchitecture> _architectures = new List<SeccompArchitecture>();
    private IList<SeccompRule> _rules = new List<SeccompRule>();
    private bool _frozen;

    /// <summary>What happens to a call that no rule decides (OCI <c>defaultAction</c>).</summary>
    public SeccompAction DefaultAction { get => _defaultAction; set => _defaultAction = Unfrozen(value); }

    /// <summary>
    /// What happens to a call of an ABI the filter does not cover (libseccomp's <c>SCMP_FLTATR_ACT_BADARCH</c>).
    /// <see cref="SeccompAction.KillProcess"/> unless set; libseccomp's default is <see cref="SeccompAction.KillThread"/>.
    /// </summary>
    public SeccompAction BadArchitectureAction { get => _badArchitectureAction; set => _badArchitectureAction = Unfrozen(value); }

    /// <summary>
    /// ABIs covered besides the running one (OCI <c>architectures</c>), checked in this order after it. Listing the
    /// running architecture again changes nothing.
    /// </summary>
    public IList<SeccompArchitecture> Architectures => _architectures;

    /// <summary>The rules, in the order they are tried.</summary>
    public IList<SeccompRule> Rules => _rules;

    /// <summary>
    /// The flags of <c>seccomp(SECCOMP_SET_MODE_FILTER)</c> (OCI <c>flags</c>). <see cref="SeccompFilterFlags.NewListener"/>
    /// is added by <see cref="Compile()"/> when an action is <see cref="SeccompActionKind.UserNotify"/>.
    /// </summary>
    public SeccompFilterFlags Flags { get => _flags; set => _flags = Unfrozen(value); }

    /// <summary>True for a shared filter that cannot change (<see cref="SeccompProfiles.DockerDefault"/>).</summary>
    public bool IsReadOnly => _frozen;

    /// <summary>A copy that can be changed (the rules themselves are immutable and shared).</summary>
    public SeccompFilter Clone()
    {
        var copy = new SeccompFilter(DefaultAction) { BadArchitectureAction = BadArchitectureAction, Flags = Flags };
        foreach (SeccompArchitecture a in Architectures)
        {
            copy.Architectures.Add(a);
        }

        foreach (SeccompRule r in Rules)
        {
            copy.Rules.Add(r);
        }

        return copy;
    }

    /// <summary>Makes the filter read-only (a shared profile).</summary>
    internal void Freeze()
    {
        _architectures = new System.Collections.ObjectModel.ReadOnlyCollection<SeccompArchitecture>([.. _architectures]);
        _rules = new System.Collections.ObjectModel.ReadOnlyCollection<SeccompRule>([.. _rules]);
        _frozen = true;
    }

    private T Unfrozen<T>(T value) => _frozen
        ? throw new InvalidOperationException("This seccomp filter is a shared read-only profile: change a copy (Clone()).")
        : value;

    /// <summary>Adds a rule for <paramref name="name"/> and returns this filter.</summary>
    /// <param name="name">The system call.</param>
    /// <param name="action">What to do when the conditions hold.</param>
    /// <param name="conditions">The conditions (none: always).</param>
    public SeccompFilter Add(string name, SeccompAction action, params SeccompCondition[] conditions)
    {
        Rules.Add(new SeccompRule(name, action, conditions));
        return this;
    }

    /// <summary>Adds one unconditional rule for all of <paramref name="names"/> and returns this filter.</summary>
    /// <param name="action">What to do.</param>
    /// <param name="names">The system calls.</param>
    public SeccompFilter Add(SeccompAction action, params string[] names)
    {
        Rules.Add(new SeccompRule(names, action));
        return this;
    }

    /// <summary>
    /// Compiles the filter for the running architecture (<see cref="SeccompSyscalls.NativeArchitecture"/>) into the
    /// program that <c>seccomp(SECCOMP_SET_MODE_FILTER)</c> installs. Validates everything first.
    /// </summary>
    /// <exception cref="ArgumentException">A rule names a system call that none of the filter's architectures has,
    /// an action or comparison is unknown, a condition's index is above 5, the flags are unknown or do not go
    /// together, or the program would be longer than BPF_MAXINSNS (4096) instructions. The message names the rule.</exception>
    public SeccompProgram Compile() => Compile(SeccompSyscalls.NativeArchitecture);

    /// <summary>
    /// Compiles the filter as for a process whose own architecture is <paramref name="nativeArchitecture"/> (to build,
    /// test or inspect a program for another machine).
    /// </summary>
    /// <param name="nativeArchitecture">The architecture always covered, checked first.</param>
    /// <exception cref="ArgumentException">As for <see cref="Compile()"/>.</exception>
    public SeccompProgram Compile(SeccompArchitecture nativeArchitecture) => SeccompCompiler.Compile(this, nativeArchitecture);

    /// <summary>
    /// The program for the running architecture, compiled once and kept while the filter does not change (the
    /// same actions, flags, architectures and rule objects, checked one by one: rules are immutable). What
    /// <see cref="Processes.IsolatedProcessStartInfo.Seccomp"/> uses, so starting many processes with one filter
    /// compiles it once.
    /// </summary>
    internal SeccompProgram GetProgram()
    {
        CompiledState? cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.Matches(this))
        {
            return cached.Program;
        }

        SeccompProgram program = Compile();
        Volatile.Write(ref _cached, new CompiledState(this, program));
        return program;
    }

    private CompiledState? _cached;

    private sealed class CompiledState
    {
        private readonly SeccompAction _default;
        private readonly SeccompAction _badArchitecture;
        private readonly SeccompFilterFlags _flags;
        private readonly SeccompArchitecture[] _architectures;
        private readonly SeccompRule[] _rules;

        internal CompiledState(SeccompFilter filter, SeccompProgram program)
        {
            _default = filter.DefaultAction;
            _badArchitecture = filter.BadArchitectureAction;
            _flags = filter.Flags;
            _architectures = [.. filter.Architectures];
            _rules = [.. filter.Rules];
            Program = program;
        }

        internal SeccompProgram Program { get; }

        internal bool Matches(SeccompFilter filter)
        {
            if (_default != filter.DefaultAction || _badArchitecture != filter.BadArchitectureAction || _flags != filter.Flags
                || _architectures.Length != filter.Architectures.Count || _rules.Length != filter.Rules.Count)
            {
                return false;
            }

            for (int i = 0; i < _architectures.Length; i++)
            {
                if (_architectures[i] != filter.Architectures[i])
                {
                    return false;
                }
            }

            for (int i = 0; i < _rules.Length; i++)
            {
                if (!ReferenceEquals(_rules[i], filter.Rules[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// What the filter does with <paramref name="name"/> called with all arguments 0 (first matching rule, else the
    /// default): the start checks that the program can still be exec'd under it.
    /// </summary>
    internal SeccompAction Decide(string name)
    {
        foreach (SeccompRule rule in Rules)
        {
            if (rule is not null && rule.Names.Contains(name) && rule.Conditions.All(c => c.Matches(0)))
            {
                return rule.Action;
            }
        }

        return DefaultAction;
    }

    internal static string ArchitectureName(SeccompArchitecture architecture) => architecture switch
    {
        SeccompArchitecture.X86_64 => "x86_64",
        SeccompArchitecture.I386 => "i386",
        SeccompArchitecture.X32 => "x32",
        SeccompArchitecture.Aarch64 => "aarch64",
        _ => $"architecture {(int)architecture}",
    };
}
