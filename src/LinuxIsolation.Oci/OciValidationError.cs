namespace LinuxIsolation.Oci;

/// <summary>
/// One broken rule of the runtime-spec, or one warning: the JSON path of the value ("linux.namespaces[2].type",
/// "process.args") and what is wrong with it. <see cref="ToString"/> reads
/// <c>linux.namespaces[2].type: "foo" is not a namespace type</c>.
/// </summary>
/// <param name="Path">The JSON path, without the leading "$.": "process.cwd", "mounts[4].destination", "linux.sysctl[\"net.ipv4.ip_forward\"]"; "" for the document itself.</param>
/// <param name="Message">The rule broken, e.g. "must be an absolute path".</param>
public sealed record OciValidationError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
