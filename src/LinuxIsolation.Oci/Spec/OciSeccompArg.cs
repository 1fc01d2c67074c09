using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One argument condition of a seccomp rule.</summary>
public sealed class OciSeccompArg : OciObject
{
    /// <summary><c>index</c> (REQUIRED): the argument, 0 to 5.</summary>
    [JsonPropertyName("index")]
    public uint? Index { get; set; }

    /// <summary><c>value</c> (REQUIRED): the value compared with.</summary>
    [JsonPropertyName("value")]
    public ulong? Value { get; set; }

    /// <summary><c>valueTwo</c>: the second value (the mask of SCMP_CMP_MASKED_EQ's "(arg &amp; value) == valueTwo").</summary>
    [JsonPropertyName("valueTwo")]
    public ulong? ValueTwo { get; set; }

    /// <summary><c>op</c> (REQUIRED): SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT or _MASKED_EQ.</summary>
    [JsonPropertyName("op")]
    public string? Op { get; set; }
}
