using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>process.user</c>: the ids the process runs as, in the container's user namespace (config.md "POSIX-platform User").</summary>
public sealed class OciUser : OciObject
{
    /// <summary><c>uid</c> (REQUIRED): the user id (setresuid).</summary>
    [JsonPropertyName("uid")]
    public uint? Uid { get; set; }

    /// <summary><c>gid</c> (REQUIRED): the group id (setresgid).</summary>
    [JsonPropertyName("gid")]
    public uint? Gid { get; set; }

    /// <summary><c>umask</c>: the file mode creation mask (umask(2)); null leaves the caller's.</summary>
    [JsonPropertyName("umask")]
    public uint? Umask { get; set; }

    /// <summary><c>additionalGids</c>: the supplementary groups (setgroups).</summary>
    [JsonPropertyName("additionalGids")]
    public IList<uint>? AdditionalGids { get; set; }

    /// <summary><c>username</c>: Windows only; kept and ignored on Linux.</summary>
    [JsonPropertyName("username")]
    public string? Username { get; set; }
}
