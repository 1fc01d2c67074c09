using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace LinuxIsolation.Lxi;

/// <summary>
/// lxi's log, written as runc's logrus writes it: to stderr unless <c>--log FILE</c> (appended), as text
/// (<c>time="2026-01-02T03:04:05Z" level=error msg="..."</c>) or, with <c>--log-format json</c>, as one JSON
/// object a line (<c>{"level":"error","msg":"...","time":"..."}</c>). Debug lines only with <c>--debug</c>.
/// When the log is a file, an error is also printed plainly to stderr (as runc does), so callers that read
/// stderr see it.
/// </summary>
internal sealed class LxiLog : IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;

    public LxiLog(string? file, bool json, bool debug)
    {
        Json = json;
        Debug = debug;
        if (string.IsNullOrEmpty(file) || file == "/dev/stderr")
        {
            _writer = Console.Error;
            ToStderr = true;
        }
        else
        {
            var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            _ownsWriter = true;
        }
    }

    public bool Json { get; }

    public bool Debug { get; }

    public bool ToStderr { get; }

    public void Error(string message)
    {
        Write("error", message);
        if (!ToStderr)
        {
            Console.Error.WriteLine(message);
        }
    }

    public void Warn(string message) => Write("warning", message);

    public void Info(string message) => Write("info", message);

    public void DebugLine(string message)
    {
        if (Debug)
        {
            Write("debug", message);
        }
    }

    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
    }

    internal static string Format(string level, string message, DateTimeOffset time, bool json)
    {
        string stamp = time.ToString(time.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return json
            ? $"{{\"level\":\"{level}\",\"msg\":{Quote(message, json: true)},\"time\":\"{stamp}\"}}"
            : $"time=\"{stamp}\" level={level} msg={Quote(message, json: false)}";
    }

    private void Write(string level, string message) => _writer.WriteLine(Format(level, message, DateTimeOffset.Now, Json));

    /// <summary>
    /// A message quoted as the log format wants it: a JSON string, or Go's %q (how logrus's text formatter quotes
    /// it). The two differ only in how other control characters are escaped (\u00XX against \xXX).
    /// </summary>
    private static string Quote(string s, bool json)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' when json: sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                case < ' ': sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"').ToString();
    }
}
