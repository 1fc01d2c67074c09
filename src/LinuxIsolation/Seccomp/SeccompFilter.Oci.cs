using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Seccomp;

public sealed partial class SeccompFilter
{
    private const int DefaultErrno = 1; // EPERM, runc's errno when errnoRet is absent

    /// <summary>
    /// Reads an OCI runtime-spec <c>linux.seccomp</c> object (the format of <c>config.json</c>, and of Docker's and
    /// podman's <c>seccomp.json</c> without their <c>includes</c>/<c>excludes</c>): <c>defaultAction</c>,
    /// <c>defaultErrnoRet</c>, <c>architectures</c>, <c>flags</c>, <c>syscalls[].names</c>, <c>action</c>,
    /// <c>errnoRet</c> and <c>args[].index</c>, <c>value</c>, <c>valueTwo</c>, <c>op</c>.
    /// </summary>
    /// <remarks>
    /// As runc does: a system call name that none of the covered architectures has is skipped (profiles list the
    /// calls of every architecture); an ERRNO action without errnoRet returns EPERM; the args of one entry are
    /// all required (AND), unless two name the same index, when each arg makes a rule of its own (OR);
    /// architectures of other machines (SCMP_ARCH_ARM, SCMP_ARCH_MIPS, ...) are skipped. <c>listenerPath</c> is not
    /// used: a USER_NOTIF action's listener comes back through <see cref="Processes.IsolatedProcess.TryTakeSeccompNotifier"/>.
    /// The result is checked as <see cref="Compile()"/> checks it.
    /// </remarks>
    /// <param name="json">The <c>linux.seccomp</c> object, UTF-8 JSON.</param>
    /// <exception cref="FormatException">The JSON is malformed, or a value is of the wrong type or unknown (an action, an
    /// operator, an architecture, a flag, an index above 5); the message names the JSON path, e.g. <c>$.syscalls[3].action</c>.</exception>
    public static SeccompFilter FromOciJson(ReadOnlySpan<byte> json)
    {
        OciSeccomp? spec;
        try
        {
            spec = JsonSerializer.Deserialize(json, OciSeccompJsonContext.Default.OciSeccomp);
        }
        catch (JsonException e)
        {
            throw new FormatException($"seccomp profile: {e.Path ?? "$"}: {FirstSentence(e.Message)}", e);
        }

        return FromOci(spec ?? throw new FormatException("seccomp profile: $: null instead of an object."));
    }

    /// <summary>As <see cref="FromOciJson(ReadOnlySpan{byte})"/>, from text.</summary>
    /// <param name="json">The <c>linux.seccomp</c> object.</param>
    /// <exception cref="FormatException">As for <see cref="FromOciJson(ReadOnlySpan{byte})"/>.</exception>
    public static SeccompFilter FromOciJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromOciJson(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    private static SeccompFilter FromOci(OciSeccomp spec)
    {
        SeccompAction defaultAction = ParseAction(spec.DefaultAction, spec.DefaultErrnoRet, "$.defaultAction");
        var filter = new SeccompFilter(defaultAction);
        SeccompArchitecture native = SeccompSyscalls.NativeArchitecture;
        var covered = new List<SeccompArchitecture> { native };
        if (spec.Architectures is not null)
        {
            for (int i = 0; i < spec.Architectures.Length; i++)
            {
                SeccompArchitecture? a = ParseArchitecture(spec.Architectures[i], $"$.architectures[{i}]", native);
                if (a is { } architecture && architecture != native && !filter.Architectures.Contains(architecture))
                {
                    filter.Architectures.Add(architecture);
                    covered.Add(architecture);
                }
            }
        }

        if (spec.Flags is not null)
        {
            for (int i = 0; i < spec.Flags.Length; i++)
            {
                filter.Flags |= spec.Flags[i] switch
                {
                    "SECCOMP_FILTER_FLAG_TSYNC" => SeccompFilterFlags.Tsync,
                    "SECCOMP_FILTER_FLAG_LOG" => SeccompFilterFlags.Log,
                    "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => SeccompFilterFlags.SpecAllow,
                    "SECCOMP_FILTER_FLAG_NEW_LISTENER" => SeccompFilterFlags.NewListener,
                    "SECCOMP_FILTER_FLAG_TSYNC_ESRCH" => SeccompFilterFlags.TsyncEsrch,
                    string other => throw new FormatException($"seccomp profile: $.flags[{i}]: unknown flag \"{other}\"."),
                    null => throw new FormatException($"seccomp profile: $.flags[{i}]: null instead of a flag name."),
                };
            }
        }

        if (spec.Syscalls is null)
        {
            return filter;
        }

        for (int s = 0; s < spec.Syscalls.Length; s++)
        {
            string at = $"$.syscalls[{s}]";
            OciSyscall entry = spec.Syscalls[s] ?? throw new FormatException($"seccomp profile: {at}: null instead of an object.");
            SeccompAction action = ParseAction(entry.Action, entry.ErrnoRet, at + ".action");
            if (entry.Names is null || entry.Names.Length == 0)
            {
                throw new FormatException($"seccomp profile: {at}.names: no system call names.");
            }

            var names = new List<string>();
            for (int n = 0; n < entry.Names.Length; n++)
            {
                string name = entry.Names[n] ?? throw new FormatException($"seccomp profile: {at}.names[{n}]: null instead of a name.");
                foreach (SeccompArchitecture a in covered)
                {
                    if (SeccompSyscalls.TryGetNumber(a, name, out _))
                    {
                        names.Add(name);
                        break;
                    }
                }
            }

            var conditions = new List<SeccompCondition>();
            bool repeated = false;
            if (entry.Args is not null)
            {
                for (int c = 0; c < entry.Args.Length; c++)
                {
                    OciArg arg = entry.Args[c] ?? throw new FormatException($"seccomp profile: {at}.args[{c}]: null instead of an object.");
                    if (arg.Index > 5)
                    {
                        throw new FormatException($"seccomp profile: {at}.args[{c}].index: {arg.Index} is above 5 (a system call has arguments 0 to 5).");
                    }

                    SeccompOperator op = arg.Op switch
                    {
                        "SCMP_CMP_NE" => SeccompOperator.NotEqual,
                        "SCMP_CMP_LT" => SeccompOperator.LessThan,
                        "SCMP_CMP_LE" => SeccompOperator.LessOrEqual,
                        "SCMP_CMP_EQ" => SeccompOperator.Equal,
                        "SCMP_CMP_GE" => SeccompOperator.GreaterOrEqual,
                        "SCMP_CMP_GT" => SeccompOperator.GreaterThan,
                        "SCMP_CMP_MASKED_EQ" => SeccompOperator.MaskedEqual,
                        _ => throw new FormatException($"seccomp profile: {at}.args[{c}].op: unknown operator {Quote(arg.Op)}."),
                    };
                    repeated |= conditions.Exists(x => x.Index == (int)arg.Index);
                    conditions.Add(new SeccompCondition((int)arg.Index, op, arg.Value, arg.ValueTwo));
                }
            }

            if (names.Count == 0)
            {
                continue; // none of them exists here: skipped, as runc does
            }

            if (!repeated)
            {
                filter.Rules.Add(new SeccompRule(names, action, conditions));
                continue;
            }

            // libseccomp cannot AND two comparisons of one argument; runc makes each its own rule.
            foreach (SeccompCondition condition in conditions)
            {
                filter.Rules.Add(new SeccompRule(names, action, [condition]));
            }
        }

        return filter;
    }

    private static string Quote(string? value) => value is null ? "null" : $"\"{value}\"";

    private static SeccompAction ParseAction(string? name, uint? errno, string at)
    {
        return name switch
        {
            "SCMP_ACT_ALLOW" => SeccompAction.Allow,
            "SCMP_ACT_ERRNO" => SeccompAction.Errno(Errno(errno ?? DefaultErrno)),
            "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => SeccompAction.KillThread,
            "SCMP_ACT_KILL_PROCESS" => SeccompAction.KillProcess,
            "SCMP_ACT_TRAP" => SeccompAction.Trap,
            "SCMP_ACT_TRACE" => SeccompAction.Trace((ushort)Errno(errno ?? DefaultErrno)),
            "SCMP_ACT_LOG" => SeccompAction.Log,
            "SCMP_ACT_NOTIFY" => SeccompAction.UserNotify,
            _ => throw new FormatException($"seccomp profile: {at}: unknown action {Quote(name)}."),
        };

        int Errno(uint value) => value <= 0xffff
            ? (int)value
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"seccomp profile: {at}: errnoRet {value} does not fit the 16 bits of the action's data."));
    }

    private static SeccompArchitecture? ParseArchitecture(string? name, string at, SeccompArchitecture native) => (SeccompArchitecture?)(name switch
    {
        "SCMP_ARCH_X86_64" => SeccompArchitecture.X86_64,
        "SCMP_ARCH_X86" => native == SeccompArchitecture.X86_64 ? SeccompArchitecture.I386 : null,
        "SCMP_ARCH_X32" => native == SeccompArchitecture.X86_64 ? SeccompArchitecture.X32 : null,
        "SCMP_ARCH_AARCH64" => SeccompArchitecture.Aarch64,
        "SCMP_ARCH_ARM" or "SCMP_ARCH_MIPS" or "SCMP_ARCH_MIPS64" or "SCMP_ARCH_MIPS64N32" or "SCMP_ARCH_MIPSEL"
            or "SCMP_ARCH_MIPSEL64" or "SCMP_ARCH_MIPSEL64N32" or "SCMP_ARCH_PPC" or "SCMP_ARCH_PPC64" or "SCMP_ARCH_PPC64LE"
            or "SCMP_ARCH_S390" or "SCMP_ARCH_S390X" or "SCMP_ARCH_PARISC" or "SCMP_ARCH_PARISC64" or "SCMP_ARCH_RISCV64"
            or "SCMP_ARCH_LOONGARCH64" or "SCMP_ARCH_M68K" or "SCMP_ARCH_SH" or "SCMP_ARCH_SHEB" => (SeccompArchitecture?)null,
        _ => throw new FormatException($"seccomp profile: {at}: unknown architecture {Quote(name)}."),
    }) is { } a && (a == native || a is SeccompArchitecture.I386 or SeccompArchitecture.X32) ? a : null;
}

/// <summary>OCI runtime-spec <c>LinuxSeccomp</c>.</summary>
internal sealed class OciSeccomp
{
    [JsonPropertyName("defaultAction")]
    public string? DefaultAction { get; set; }

    [JsonPropertyName("defaultErrnoRet")]
    public uint? DefaultErrnoRet { get; set; }

    [JsonPropertyName("architectures")]
    public string?[]? Architectures { get; set; }

    [JsonPropertyName("flags")]
    public string?[]? Flags { get; set; }

    [JsonPropertyName("syscalls")]
    public OciSyscall?[]? Syscalls { get; set; }
}

/// <summary>OCI runtime-spec <c>LinuxSyscall</c>.</summary>
internal sealed class OciSyscall
{
    [JsonPropertyName("names")]
    public string?[]? Names { get; set; }

    [JsonPropertyName("action")]
    public string? Action { get; set; }

    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; set; }

    [JsonPropertyName("args")]
    public OciArg?[]? Args { get; set; }
}

/// <summary>OCI runtime-spec <c>LinuxSeccompArg</c>.</summary>
internal sealed class OciArg
{
    [JsonPropertyName("index")]
    public uint Index { get; set; }

    [JsonPropertyName("value")]
    public ulong Value { get; set; }

    [JsonPropertyName("valueTwo")]
    public ulong ValueTwo { get; set; }

    [JsonPropertyName("op")]
    public string? Op { get; set; }
}

[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, AllowTrailingCommas = false)]
[JsonSerializable(typeof(OciSeccomp))]
internal sealed partial class OciSeccompJsonContext : JsonSerializerContext
{
}
