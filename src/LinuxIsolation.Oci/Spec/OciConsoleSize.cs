using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>process.consoleSize</c>: the terminal's size in characters (TIOCSWINSZ).</summary>
public sealed class OciConsoleSize : OciObject
{
    /// <summary><c>height</c> (REQUIRED): rows.</summary>
    [JsonPropertyName("height")]
    public uint? Height { get; set; }

    /// <summary><c>width</c> (REQUIRED): columns.</summary>
    [JsonPropertyName("width")]
    public uint? Width { get; set; }
}
