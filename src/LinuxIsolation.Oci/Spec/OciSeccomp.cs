using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.seccomp</c>: the seccomp filter, in libseccomp's names (config-linux.md "Seccomp").</summary>
public sealed class OciSeccomp : OciObject
{
    /// <summary><c>defaultAction</c> (REQUIRED): the action for system calls no rule matches (SCMP_ACT_*).</summary>
    [JsonPropertyName("defaultAction")]
    public string? DefaultAction { get; set; }

    /// <summary><c>defaultErrnoRet</c>: the errno of a default SCMP_ACT_ERRNO or SCMP_ACT_TRACE (default EPERM).</summary>
    [JsonPropertyName("defaultErrnoRet")]
    public uint? DefaultErrnoRet { get; set; }

    /// <summary><c>architectures</c>: SCMP_ARCH_* the filter also covers.</summary>
    [JsonPropertyName("architectures")]
    public IList<string>? Architectures { get; set; }

    /// <summary><c>flags</c>: SECCOMP_FILTER_FLAG_* for seccomp(2).</summary>
    [JsonPropertyName("flags")]
    public IList<string>? Flags { get; set; }

    /// <summary><c>listenerPath</c>: the unix socket that receives the notify descriptor when SCMP_ACT_NOTIFY is used.</summary>
    [JsonPropertyName("listenerPath")]
    public string? ListenerPath { get; set; }

    /// <summary><c>listenerMetadata</c>: opaque data sent with the notify descriptor; only with <see cref="ListenerPath"/>.</summary>
    [JsonPropertyName("listenerMetadata")]
    public string? ListenerMetadata { get; set; }

    /// <summary><c>syscalls</c>: the rules.</summary>
    [JsonPropertyName("syscalls")]
    public IList<OciSeccompSyscall>? Syscalls { get; set; }
}
