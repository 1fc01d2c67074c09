using System.Collections.Generic;
using System.Globalization;

namespace LinuxIsolation.Oci;

/// <summary>Collects errors and warnings with their JSON paths, in the order found.</summary>
internal sealed class OciProblems
{
    public List<OciValidationError> Errors { get; } = [];

    public List<OciValidationError> Warnings { get; } = [];

    public void Error(string path, string message) => Errors.Add(new OciValidationError(path, message));

    public void Warn(string path, string message) => Warnings.Add(new OciValidationError(path, message));

    public static string Index(string path, int i) => string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");

    public static string Key(string path, string key) => $"{path}[\"{key}\"]";

    public static string Quote(string? value) => value is null ? "null" : "\"" + value.Replace("\"", "\\\"", System.StringComparison.Ordinal) + "\"";
}
