using System;
using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Seccomp.Native;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// Compiles a <see cref="SeccompFilter"/> to classic BPF.
/// </summary>
/// <remarks>
/// <para>Layout: <c>ld arch</c>; one <c>jeq AUDIT_ARCH_*</c> per covered ABI (x86_64 and x32 share
/// AUDIT_ARCH_X86_64 and one block); <c>ret</c> of the bad-architecture action; then one block per ABI.</para>
/// <para>A block loads <c>nr</c> and decides it with a binary search (<c>jge</c>) over the intervals of call
/// numbers that have one outcome: the default action, one action for every call of the interval, or, for a call
/// with conditional rules, a body that tests the arguments. Unassigned numbers keep the default action, so
/// intervals never cover a number the filter did not name. Like libseccomp, an x86_64 block without x32 gives
/// numbers from 0x40000000 the bad-architecture action, except -1 (a tracer skipping a call), which gets the default.</para>
/// <para>A body tries its rules in order; each rule is its conditions then a <c>ret</c> of its action, a failed
/// condition jumps to the next rule, and after the last comes a <c>ret</c> of the default action. A 64-bit
/// comparison tests the high half first (<c>jgt</c>/<c>jeq</c>) and the low half only when the high halves are
/// equal; a masked comparison with value 0 is a <c>jset</c>.</para>
/// </remarks>
internal static class SeccompCompiler
{
    private const uint KnownFlags = (uint)(SeccompFilterFlags.Tsync | SeccompFilterFlags.Log | SeccompFilterFlags.SpecAllow
        | SeccompFilterFlags.NewListener | SeccompFilterFlags.TsyncEsrch);

    internal static SeccompProgram Compile(SeccompFilter filter, SeccompArchitecture native)
    {
        ArgumentNullException.ThrowIfNull(filter);
        List<SeccompArchitecture> architectures = Architectures(filter, native);
        CheckAction(filter.DefaultAction, "the default action");
        CheckAction(filter.BadArchitectureAction, "the bad-architecture action");
        if (filter.DefaultAction.Kind == SeccompActionKind.UserNotify)
        {
            throw new ArgumentException("The default action cannot be USER_NOTIF (SCMP_ACT_NOTIFY): every call would wait for the listener, including the one that hands the listener over (libseccomp refuses it too).", nameof(filter));
        }

        bool notifies = filter.BadArchitectureAction.Kind == SeccompActionKind.UserNotify;
        var rules = new SeccompRule[filter.Rules.Count];
        filter.Rules.CopyTo(rules, 0);
        for (int r = 0; r < rules.Length; r++)
        {
            SeccompRule rule = rules[r] ?? throw new ArgumentException($"Rules[{r}] is null.", nameof(filter));
            CheckAction(rule.Action, $"Rules[{r}] ({rule})");
            notifies |= rule.Action.Kind == SeccompActionKind.UserNotify;
            for (int c = 0; c < rule.Conditions.Count; c++)
            {
                SeccompCondition condition = rule.Conditions[c];
                if (condition.Index is < 0 or > 5)
                {
                    throw new ArgumentException($"Rules[{r}] ({rule}): argument index {condition.Index} is above 5.", nameof(filter));
                }

                if (condition.Operator is < SeccompOperator.NotEqual or > SeccompOperator.MaskedEqual)
                {
                    throw new ArgumentException($"Rules[{r}] ({rule}): unknown comparison {(int)condition.Operator}.", nameof(filter));
                }
            }

            foreach (string name in rule.Names)
            {
                if (!architectures.Any(a => SeccompSyscallTable.IndexOf(a, name) >= 0))
                {
                    throw new ArgumentException($"Rules[{r}] ({rule}): \"{name}\" is not a system call on {string.Join(", ", architectures.Select(SeccompFilter.ArchitectureName))}.", nameof(filter));
                }
            }
        }

        uint flags = (uint)filter.Flags;
        if ((flags & ~KnownFlags) != 0)
        {
            throw new ArgumentException($"Unknown seccomp filter flags 0x{flags & ~KnownFlags:x}.", nameof(filter));
        }

        if (notifies)
        {
            flags |= SeccompConstants.SECCOMP_FILTER_FLAG_NEW_LISTENER;
        }

        if ((flags & SeccompConstants.SECCOMP_FILTER_FLAG_TSYNC) != 0 && (flags & SeccompConstants.SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0
            && (flags & SeccompConstants.SECCOMP_FILTER_FLAG_TSYNC_ESRCH) == 0)
        {
            throw new ArgumentException("TSYNC with a listener (a USER_NOTIF action or NEW_LISTENER) needs TSYNC_ESRCH (Linux 5.7): the kernel refuses the pair with EINVAL.", nameof(filter));
        }

        var emitter = new BpfEmitter();
        uint defaultValue = filter.DefaultAction.ToKernel();
        uint badArchitecture = filter.BadArchitectureAction.ToKernel();

        // Blocks, one per AUDIT_ARCH value, in the order of their first architecture.
        var blocks = new List<(uint AuditArch, List<SeccompArchitecture> Members)>();
        foreach (SeccompArchitecture a in architectures)
        {
            uint audit = AuditArch(a);
            int existing = blocks.FindIndex(b => b.AuditArch == audit);
            if (existing >= 0)
            {
                blocks[existing].Members.Add(a);
            }
            else
            {
                blocks.Add((audit, [a]));
            }
        }

        int badLabel = emitter.Return(badArchitecture);
        var starts = new int[blocks.Count];
        for (int b = blocks.Count - 1; b >= 0; b--)
        {
            List<Interval> intervals = Intervals(rules, blocks[b].Members, defaultValue, badArchitecture);
            int tree = EmitTree(emitter, intervals, 0, intervals.Count - 1, defaultValue);
            if (tree != emitter.Next)
            {
                // The load of nr falls through: to a return written for an earlier block, it needs a jump.
                emitter.Always(tree);
            }

            starts[b] = emitter.Load(SeccompConstants.SECCOMP_DATA_NR);
        }

        int next = badLabel;
        for (int b = blocks.Count - 1; b >= 0; b--)
        {
            next = emitter.Jump(SeccompConstants.BPF_JEQ, blocks[b].AuditArch, starts[b], next);
        }

        if (next != emitter.Next)
        {
            next = emitter.Always(next);
        }

        emitter.Load(SeccompConstants.SECCOMP_DATA_ARCH);
        if (emitter.Count > SeccompConstants.BPF_MAXINSNS)
        {
            throw new ArgumentException(
                $"The filter's {rules.Length} rules compile to {emitter.Count} instructions, more than one BPF program may have (BPF_MAXINSNS, {SeccompConstants.BPF_MAXINSNS}): split the rules, or merge conditions.",
                nameof(filter));
        }

        return new SeccompProgram(emitter.ToArray(), flags, SeccompProgram.ReadOnly(architectures));
    }

    private static List<SeccompArchitecture> Architectures(SeccompFilter filter, SeccompArchitecture native)
    {
        CheckArchitecture(native);
        var list = new List<SeccompArchitecture> { native };
        foreach (SeccompArchitecture a in filter.Architectures)
        {
            CheckArchitecture(a);
            if (!list.Contains(a))
            {
                list.Add(a);
            }
        }

        return list;
    }

    private static void CheckArchitecture(SeccompArchitecture architecture)
    {
        if (architecture is < SeccompArchitecture.X86_64 or > SeccompArchitecture.Aarch64)
        {
            throw new ArgumentException($"Unknown seccomp architecture {(int)architecture}.", nameof(architecture));
        }
    }

    private static void CheckAction(SeccompAction action, string what)
    {
        if (action.Kind is < SeccompActionKind.KillProcess or > SeccompActionKind.UserNotify)
        {
            throw new ArgumentException($"{what}: unknown seccomp action {(int)action.Kind}.", nameof(action));
        }
    }

    internal static uint AuditArch(SeccompArchitecture architecture) => architecture switch
    {
        SeccompArchitecture.X86_64 or SeccompArchitecture.X32 => SeccompConstants.AUDIT_ARCH_X86_64,
        SeccompArchitecture.I386 => SeccompConstants.AUDIT_ARCH_I386,
        _ => SeccompConstants.AUDIT_ARCH_AARCH64,
    };

    internal static bool Is32Bit(SeccompArchitecture architecture) => architecture is SeccompArchitecture.I386 or SeccompArchitecture.X32;

    /// <summary>What one call number gets: a plain return, or the rules to test (with the default after them).</summary>
    private readonly struct Outcome : IEquatable<Outcome>
    {
        internal Outcome(uint value)
        {
            Value = value;
            Rules = null;
            Is32Bit = false;
        }

        internal Outcome(List<SeccompRule> rules, bool is32Bit)
        {
            Value = 0;
            Rules = rules;
            Is32Bit = is32Bit;
        }

        internal uint Value { get; }

        internal List<SeccompRule>? Rules { get; }

        internal bool Is32Bit { get; }

        public bool Equals(Outcome other) => Rules is null && other.Rules is null && Value == other.Value;

        public override bool Equals(object? obj) => obj is Outcome other && Equals(other);

        public override int GetHashCode() => (int)Value;
    }

    private readonly record struct Interval(uint First, uint Last, Outcome Outcome);

    /// <summary>The call numbers of one block as intervals with one outcome each, covering 0 to 0xffffffff.</summary>
    private static List<Interval> Intervals(SeccompRule[] rules, List<SeccompArchitecture> members, uint defaultValue, uint badArchitecture)
    {
        var points = new SortedDictionary<uint, Outcome>();
        foreach (SeccompArchitecture architecture in members)
        {
            var byNumber = new Dictionary<int, List<SeccompRule>>();
            var order = new List<int>();
            foreach (SeccompRule rule in rules)
            {
                foreach (string name in rule.Names)
                {
                    if (!SeccompSyscalls.TryGetNumber(architecture, name, out int number))
                    {
                        continue;
                    }

                    if (!byNumber.TryGetValue(number, out List<SeccompRule>? list))
                    {
                        byNumber[number] = list = [];
                        order.Add(number);
                    }

                    // A rule naming a call twice adds it once.
                    if (list.Count == 0 || !ReferenceEquals(list[^1], rule))
                    {
                        list.Add(rule);
                    }
                }
            }

            foreach (int number in order)
            {
                points[(uint)number] = Simplify(byNumber[number], defaultValue, Is32Bit(architecture));
            }
        }

        // The numbers no rule names: the default, except where this block's ABI cannot be (x32 numbers in an
        // x86_64-only block, x86_64 numbers in an x32-only one), which get the bad-architecture action.
        var defaultOutcome = new Outcome(defaultValue);
        var badOutcome = new Outcome(badArchitecture);
        bool hasX86_64 = members.Contains(SeccompArchitecture.X86_64), hasX32 = members.Contains(SeccompArchitecture.X32);
        var segments = new List<Interval>();
        if (hasX86_64 && !hasX32)
        {
            segments.Add(new Interval(0, SeccompConstants.__X32_SYSCALL_BIT - 1, defaultOutcome));
            segments.Add(new Interval(SeccompConstants.__X32_SYSCALL_BIT, 0xfffffffe, badOutcome));
            segments.Add(new Interval(0xffffffff, 0xffffffff, defaultOutcome)); // -1: a tracer skipping the call
        }
        else if (hasX32 && !hasX86_64)
        {
            segments.Add(new Interval(0, SeccompConstants.__X32_SYSCALL_BIT - 1, badOutcome));
            segments.Add(new Interval(SeccompConstants.__X32_SYSCALL_BIT, 0xffffffff, defaultOutcome));
        }
        else
        {
            segments.Add(new Interval(0, 0xffffffff, defaultOutcome));
        }

        var intervals = new List<Interval>();
        void Append(ulong first, ulong last, Outcome outcome)
        {
            if (intervals.Count > 0 && intervals[^1].Outcome.Equals(outcome))
            {
                intervals[^1] = intervals[^1] with { Last = (uint)last };
            }
            else
            {
                intervals.Add(new Interval((uint)first, (uint)last, outcome));
            }
        }

        using SortedDictionary<uint, Outcome>.Enumerator point = points.GetEnumerator();
        bool more = point.MoveNext();
        foreach (Interval segment in segments)
        {
            ulong at = segment.First;
            while (more && point.Current.Key <= segment.Last)
            {
                if (point.Current.Key > at)
                {
                    Append(at, point.Current.Key - 1UL, segment.Outcome);
                }

                Append(point.Current.Key, point.Current.Key, point.Current.Value);
                at = point.Current.Key + 1UL;
                more = point.MoveNext();
            }

            if (at <= segment.Last)
            {
                Append(at, segment.Last, segment.Outcome);
            }
        }

        return intervals;
    }

    /// <summary>The rules of one call reduced to what can decide: nothing after an unconditional rule, no trailing rule that only repeats the default.</summary>
    private static Outcome Simplify(List<SeccompRule> rules, uint defaultValue, bool is32Bit)
    {
        var kept = new List<SeccompRule>(rules.Count);
        foreach (SeccompRule rule in rules)
        {
            kept.Add(rule);
            if (AlwaysHolds(rule, is32Bit))
            {
                break;
            }
        }

        while (kept.Count > 0 && kept[^1].Action.ToKernel() == defaultValue)
        {
            kept.RemoveAt(kept.Count - 1);
        }

        if (kept.Count == 0)
        {
            return new Outcome(defaultValue);
        }

        if (AlwaysHolds(kept[0], is32Bit))
        {
            return new Outcome(kept[0].Action.ToKernel());
        }

        return new Outcome(kept, is32Bit);
    }

    private static bool AlwaysHolds(SeccompRule rule, bool is32Bit)
    {
        foreach (SeccompCondition condition in rule.Conditions)
        {
            if (!SeccompConditionCode.AlwaysHolds(condition, is32Bit))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A binary search over <paramref name="intervals"/>[first..last]; returns the label it starts at.</summary>
    private static int EmitTree(BpfEmitter emitter, List<Interval> intervals, int first, int last, uint defaultValue)
    {
        if (first == last)
        {
            Outcome outcome = intervals[first].Outcome;
            return outcome.Rules is null ? emitter.Return(outcome.Value) : EmitBody(emitter, outcome.Rules, outcome.Is32Bit, defaultValue);
        }

        if (TryEmitPoints(emitter, intervals, first, last, defaultValue, out int points))
        {
            return points;
        }

        int middle = (first + last + 1) / 2;
        int right = EmitTree(emitter, intervals, middle, last, defaultValue);
        int left = EmitTree(emitter, intervals, first, middle - 1, defaultValue);
        return emitter.Jump(SeccompConstants.BPF_JGE, intervals[middle].First, right, left);
    }

    /// <summary>
    /// A few single numbers on one background (say, three allowed calls amid default ones): a <c>jeq</c> per number
    /// is shorter than the two <c>jge</c> each would take in the binary search, and no slower for so few.
    /// </summary>
    private static bool TryEmitPoints(BpfEmitter emitter, List<Interval> intervals, int first, int last, uint defaultValue, out int label)
    {
        const int MaxPoints = 4;
        label = 0;
        Outcome background = intervals[first].Outcome.Rules is null || first == last ? intervals[first].Outcome : intervals[first + 1].Outcome;
        if (background.Rules is not null)
        {
            return false;
        }

        int count = 0;
        for (int i = first; i <= last; i++)
        {
            if (!intervals[i].Outcome.Equals(background))
            {
                if (intervals[i].First != intervals[i].Last || ++count > MaxPoints)
                {
                    return false;
                }
            }
        }

        int next = emitter.Return(background.Value);
        for (int i = last; i >= first; i--)
        {
            Interval point = intervals[i];
            if (!point.Outcome.Equals(background))
            {
                int target = point.Outcome.Rules is null ? emitter.Return(point.Outcome.Value) : EmitBody(emitter, point.Outcome.Rules, point.Outcome.Is32Bit, defaultValue);
                next = emitter.Jump(SeccompConstants.BPF_JEQ, point.First, target, next);
            }
        }

        label = next;
        return true;
    }

    /// <summary>The rules of one call, tried in order, then the default; returns the label of the first test.</summary>
    private static int EmitBody(BpfEmitter emitter, List<SeccompRule> rules, bool is32Bit, uint defaultValue)
    {
        int next = emitter.Return(defaultValue);
        for (int r = rules.Count - 1; r >= 0; r--)
        {
            SeccompRule rule = rules[r];
            int fail = next;
            int target = emitter.Return(rule.Action.ToKernel());
            for (int c = rule.Conditions.Count - 1; c >= 0; c--)
            {
                target = SeccompConditionCode.Emit(emitter, rule.Conditions[c], is32Bit, target, fail);
            }

            next = target;
        }

        return next;
    }
}
