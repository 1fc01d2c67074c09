using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One hook: a program run with the container's state on its standard input (config.md "POSIX-platform Hooks").</summary>
public sealed class OciHook : OciObject
{
    /// <summary><c>path</c> (REQUIRED): the absolute path of the program (execv's path).</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary><c>args</c>: its argv, argv[0] included (execv's argv); when absent, argv is just the path.</summary>
    [JsonPropertyName("args")]
    public IList<string>? Args { get; set; }

    /// <summary><c>env</c>: its environment as "NAME=VALUE" entries (nothing else is inherited).</summary>
    [JsonPropertyName("env")]
    public IList<string>? Env { get; set; }

    /// <summary><c>timeout</c>: seconds before the hook is killed and counted as failed; more than zero when set.</summary>
    [JsonPropertyName("timeout")]
    public int? Timeout { get; set; }
}
