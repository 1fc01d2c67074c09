using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One rule of <c>linux.seccomp.syscalls</c>.</summary>
public sealed class OciSeccompSyscall : OciObject
{
    /// <summary><c>names</c> (REQUIRED, at least one): the system call names.</summary>
    [JsonPropertyName("names")]
    public IList<string>? Names { get; set; }

    /// <summary><c>action</c> (REQUIRED): SCMP_ACT_*.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; set; }

    /// <summary><c>errnoRet</c>: the errno of SCMP_ACT_ERRNO or SCMP_ACT_TRACE (default EPERM).</summary>
    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; set; }

    /// <summary><c>args</c>: conditions on the arguments, all of which must hold.</summary>
    [JsonPropertyName("args")]
    public IList<OciSeccompArg>? Args { get; set; }
}
