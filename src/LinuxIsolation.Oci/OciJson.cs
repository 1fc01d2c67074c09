using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Oci.State;

namespace LinuxIsolation.Oci;

/// <summary>
/// Reads and writes the runtime-spec documents (config.json, process.json, state, features) with the
/// source-generated serializers: no reflection, so it works trimmed and under NativeAOT. Malformed JSON and
/// values of the wrong type become an <see cref="OciConfigException"/> naming the JSON path and line.
/// Written JSON is indented with two spaces and escapes only what JSON requires (like Go's encoder, less its
/// HTML escaping).
/// </summary>
public static partial class OciJson
{
    private static readonly OciJsonContext Context = new(new JsonSerializerOptions(OciJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly OciJsonContext CompactContext = new(new JsonSerializerOptions(OciJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    });

    /// <summary>Parses a config.json document.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="source">The file name for messages, or null.</param>
    /// <exception cref="OciConfigException">The JSON is malformed, is not an object, or a value has the wrong type.</exception>
    public static OciSpec ParseSpec(ReadOnlySpan<byte> utf8Json, string? source = null) =>
        Parse(utf8Json, Context.OciSpec, source);

    /// <summary>Reads and parses the config.json at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="OciConfigException">The JSON is malformed or a value has the wrong type.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static OciSpec LoadSpec(string path) => ParseSpec(File.ReadAllBytes(path), path);

    /// <summary>Parses a process.json document (the <c>process</c> object of config.json, as <c>exec -p</c> takes it).</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="source">The file name for messages, or null.</param>
    /// <exception cref="OciConfigException">The JSON is malformed or a value has the wrong type.</exception>
    public static OciProcess ParseProcess(ReadOnlySpan<byte> utf8Json, string? source = null) =>
        Parse(utf8Json, Context.OciProcess, source);

    /// <summary>Parses a state document (what <c>state</c> prints and hooks read).</summary>
    /// <param name="utf8Json">The document.</param>
    /// <exception cref="OciConfigException">The JSON is malformed or a value has the wrong type.</exception>
    public static OciState ParseState(ReadOnlySpan<byte> utf8Json) => Parse(utf8Json, Context.OciState, null);

    /// <summary>Parses a features document.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <exception cref="OciConfigException">The JSON is malformed or a value has the wrong type.</exception>
    public static OciFeatures ParseFeatures(ReadOnlySpan<byte> utf8Json) => Parse(utf8Json, Context.OciFeatures, null);

    /// <summary>Parses lxi's state.json of a container.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="source">The file name for messages, or null.</param>
    /// <exception cref="OciConfigException">The JSON is malformed or a value has the wrong type.</exception>
    public static OciContainerRecord ParseRecord(ReadOnlySpan<byte> utf8Json, string? source = null) =>
        Parse(utf8Json, Context.OciContainerRecord, source);

    /// <summary>Writes <paramref name="spec"/> as indented JSON (what <c>lxi spec</c> writes to config.json).</summary>
    /// <param name="spec">The config.</param>
    public static string Serialize(OciSpec spec) => JsonSerializer.Serialize(spec, Context.OciSpec);

    /// <summary>Writes <paramref name="process"/> as indented JSON.</summary>
    /// <param name="process">The process.</param>
    public static string Serialize(OciProcess process) => JsonSerializer.Serialize(process, Context.OciProcess);

    /// <summary>Writes <paramref name="state"/>: indented (what <c>state</c> prints) or on one line (what hooks read).</summary>
    /// <param name="state">The state.</param>
    /// <param name="indented">Two-space indentation, or one line.</param>
    public static string Serialize(OciState state, bool indented = true) =>
        JsonSerializer.Serialize(state, (indented ? Context : CompactContext).OciState);

    /// <summary>Writes a list of states on one line (what <c>list --format json</c> prints).</summary>
    /// <param name="states">The states.</param>
    public static string Serialize(IList<OciState> states) => JsonSerializer.Serialize(states, CompactContext.IListOciState);

    /// <summary>Writes <paramref name="features"/> as indented JSON (what <c>features</c> prints).</summary>
    /// <param name="features">The features.</param>
    public static string Serialize(OciFeatures features) => JsonSerializer.Serialize(features, Context.OciFeatures);

    /// <summary>Writes <paramref name="state"/> on one line (sent to a seccomp listener).</summary>
    /// <param name="state">The container process state.</param>
    public static string Serialize(OciContainerProcessState state) =>
        JsonSerializer.Serialize(state, CompactContext.OciContainerProcessState);

    /// <summary>The <c>linux.seccomp</c> object as UTF-8 JSON (what <c>SeccompFilter.FromOciJson</c> reads).</summary>
    internal static byte[] SerializeToUtf8(OciSeccomp seccomp) => JsonSerializer.SerializeToUtf8Bytes(seccomp, CompactContext.OciSeccomp);

    /// <summary>Writes lxi's state.json of a container, indented.</summary>
    /// <param name="record">The record.</param>
    public static byte[] SerializeToUtf8(OciContainerRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, Context.OciContainerRecord);

    /// <summary>Writes a list of pids on one line (what <c>ps --format json</c> prints).</summary>
    /// <param name="pids">The pids.</param>
    public static string Serialize(IList<int> pids) => JsonSerializer.Serialize(pids, CompactContext.IListInt32);

    private static T Parse<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> type, string? source)
        where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8Json, type);
        }
        catch (JsonException e)
        {
            throw new OciConfigException([Describe(e)], source, e);
        }

        return value ?? throw new OciConfigException([new OciValidationError(string.Empty, "the document is null, not a JSON object")], source);
    }

    /// <summary>Turns System.Text.Json's exception into a path and a rule: "process.user.uid: is not an unsigned 32-bit integer (line 5, column 20)".</summary>
    internal static OciValidationError Describe(JsonException e)
    {
        string path = ToOciPath(e.Path);
        string where = e.LineNumber is long line ? $" (line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1})" : string.Empty;
        Match convert = ConvertMessage().Match(e.Message);
        string rule;
        if (convert.Success)
        {
            rule = $"is not {TypeWords(convert.Groups[1].Value)}";
        }
        else if (e.Message.Contains("is an invalid start of a value", StringComparison.Ordinal)
            || e.Message.Contains("invalid", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("expected", StringComparison.OrdinalIgnoreCase))
        {
            rule = "is not valid JSON: " + FirstSentence(e.Message);
        }
        else
        {
            rule = FirstSentence(e.Message);
        }

        return new OciValidationError(path, rule + where);
    }

    internal static string ToOciPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return string.Empty;
        }

        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath.Substring(2)
            : jsonPath.StartsWith('$') ? jsonPath.Substring(1) : jsonPath;
    }

    private static string TypeWords(string clrType)
    {
        string t = clrType.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']');
        return t switch
        {
            "System.String" => "a string",
            "System.Boolean" => "a boolean (true or false)",
            "System.Int32" => "a 32-bit integer",
            "System.UInt32" => "an unsigned 32-bit integer",
            "System.Int64" => "a 64-bit integer",
            "System.UInt64" => "an unsigned 64-bit integer",
            "System.UInt16" => "an unsigned 16-bit integer",
            _ when t.Contains("IList", StringComparison.Ordinal) || t.Contains("List", StringComparison.Ordinal) => "an array",
            _ when t.Contains("IDictionary", StringComparison.Ordinal) || t.Contains("Dictionary", StringComparison.Ordinal) => "an object of strings",
            _ when t.StartsWith("LinuxIsolation.Oci", StringComparison.Ordinal) => "an object",
            _ => "a " + t,
        };
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        string text = cut >= 0 ? message.Substring(0, cut) : message;
        return text.TrimEnd('.', ' ');
    }

    [GeneratedRegex(@"could not be converted to ([^ .]+(?:\.[^ .]+)*(?:\[[^\]]*\])?)")]
    private static partial Regex ConvertMessage();

    internal static byte[] ToUtf8(string text) => Encoding.UTF8.GetBytes(text);
}
