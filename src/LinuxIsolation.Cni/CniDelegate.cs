using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace LinuxIsolation.Cni;

/// <summary>
/// Runs another plugin on behalf of the current one, as the reference plugins run their IPAM plugin
/// (containernetworking/cni <c>invoke.DelegateAdd</c>/<c>DelegateDel</c>/<c>DelegateCheck</c>, used by
/// <c>ipam.ExecAdd</c> and friends): the executable named by the type is looked up on <c>CNI_PATH</c>, started with
/// the request's CNI variables (<c>CNI_COMMAND</c> set to the delegated command) and the request's network
/// configuration on stdin; its stdout is the result (ADD) or, with a non-zero exit status, the spec's error object,
/// which is rethrown with its own code, message and details. The delegated plugin's stderr is this process's.
/// </summary>
public static class CniDelegate
{
    /// <summary>
    /// Finds the executable of plugin <paramref name="type"/> in <paramref name="path"/> (the first directory that
    /// holds a regular file of that name wins, as libcni's <c>FindInPath</c>).
    /// </summary>
    /// <param name="type">The plugin's type: a plain file name (no '/', not "." or "..", no NUL).</param>
    /// <param name="path">The directories of <c>CNI_PATH</c>, in order.</param>
    /// <returns>The plugin's full path.</returns>
    /// <exception cref="CniException">The type is not a plain file name (code 7), or no directory holds it (code 7, every directory named).</exception>
    public static string Find(string type, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(path);
        if (type.Length == 0 || type is "." or ".." || type.Contains('/', StringComparison.Ordinal) || type.Contains('\0', StringComparison.Ordinal))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"plugin type \"{type}\" is not a plain file name (no '/', not \".\" or \"..\"): it cannot be looked up on CNI_PATH.");
        }

        foreach (string dir in path)
        {
            string candidate = System.IO.Path.Combine(dir, type);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CniException(CniErrorCode.InvalidNetworkConfig, $"plugin type \"{type}\" is not found on CNI_PATH ({string.Join(":", path)}).");
    }

    /// <summary>Runs plugin <paramref name="type"/> with ADD and returns its result (any supported version, read into the 1.x model).</summary>
    /// <param name="type">The delegated plugin's type (e.g. the <c>ipam.type</c>).</param>
    /// <param name="request">The current invocation: its environment and stdin are passed on.</param>
    /// <exception cref="CniException">The plugin is not found, failed (its own code, message and details), or printed no valid result (code 6).</exception>
    public static CniResult Add(string type, CniRequest request)
    {
        string stdout = Invoke(type, CniCommand.Add, request);
        CniResult result;
        try
        {
            result = CniResult.Parse(stdout);
        }
        catch (CniException e)
        {
            throw new CniException(e.Code, $"plugin \"{type}\" ADD: {e.Message}", e.Details, e);
        }

        return result;
    }

    /// <summary>Runs plugin <paramref name="type"/> with DEL.</summary>
    /// <param name="type">The delegated plugin's type.</param>
    /// <param name="request">The current invocation.</param>
    /// <exception cref="CniException">The plugin is not found or failed (its own code, message and details).</exception>
    public static void Delete(string type, CniRequest request) => Invoke(type, CniCommand.Del, request);

    /// <summary>Runs plugin <paramref name="type"/> with CHECK (the request's configuration carries the <c>prevResult</c>).</summary>
    /// <param name="type">The delegated plugin's type.</param>
    /// <param name="request">The current invocation.</param>
    /// <exception cref="CniException">The plugin is not found or failed (its own code, message and details).</exception>
    public static void Check(string type, CniRequest request) => Invoke(type, CniCommand.Check, request);

    /// <summary>
    /// Runs plugin <paramref name="type"/> with <paramref name="command"/>, the request's CNI variables and stdin, and
    /// returns what it printed on stdout when it exited with status 0.
    /// </summary>
    /// <param name="type">The delegated plugin's type.</param>
    /// <param name="command">The command to run it with (not VERSION).</param>
    /// <param name="request">The current invocation.</param>
    /// <exception cref="CniException">
    /// The plugin is not found (code 7) or cannot be started (code 5); it exited non-zero: its error object's code,
    /// message and details, or, when it printed none, code 999 with its output.
    /// </exception>
    public static string Invoke(string type, CniCommand command, CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (command == CniCommand.Version)
        {
            throw new ArgumentException("VERSION is not delegated with a request.", nameof(command));
        }

        string file = Find(type, request.Environment.Path);
        CniEnvironment env = request.Environment;
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        psi.Environment["CNI_COMMAND"] = command.ToString().ToUpperInvariant();
        Set(psi, "CNI_CONTAINERID", env.ContainerId);
        Set(psi, "CNI_NETNS", env.NetNs);
        Set(psi, "CNI_IFNAME", env.IfName);
        Set(psi, "CNI_ARGS", env.Args.Count == 0 ? null : string.Join(';', env.Args.Select(a => a.Key + "=" + a.Value)));
        psi.Environment["CNI_PATH"] = string.Join(':', env.Path);

        string stdout;
        int status;
        try
        {
            using Process p = Process.Start(psi) ?? throw new CniException(CniErrorCode.IoFailure, $"plugin \"{type}\" ({file}) did not start.");
            // stdout is drained while stdin is written: a plugin may answer before it has read all of its input.
            System.Threading.Tasks.Task<string> output = p.StandardOutput.ReadToEndAsync();
            try
            {
                p.StandardInput.BaseStream.Write(request.Stdin.Span);
                p.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited without reading stdin: its exit status and output tell why.
            }

            stdout = output.GetAwaiter().GetResult();
            p.WaitForExit();
            status = p.ExitCode;
        }
        catch (Win32Exception e)
        {
            throw new CniException(CniErrorCode.IoFailure, $"plugin \"{type}\" ({file}) cannot be started: {e.Message}", innerException: e);
        }

        if (status == 0)
        {
            return stdout;
        }

        // The reference plugins print {"code","msg","details"} without a cniVersion: read the fields, not a CniError.
        if (TryReadError(stdout, out int code, out string? msg, out string? details))
        {
            throw new CniException(code, msg, details);
        }

        string text = stdout.Trim();
        throw new CniException(CniErrorCode.Unknown, $"plugin \"{type}\" {psi.Environment["CNI_COMMAND"]} exited with status {status}" + (text.Length == 0 ? " and printed nothing." : $": {Truncate(text)}"));
    }

    private static bool TryReadError(string stdout, out int code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? msg, out string? details)
    {
        code = 0;
        msg = null;
        details = null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(stdout);
            System.Text.Json.JsonElement root = doc.RootElement;
            if (root.ValueKind == System.Text.Json.JsonValueKind.Object
                && root.TryGetProperty("code", out System.Text.Json.JsonElement c) && c.TryGetInt32(out code) && code != 0
                && root.TryGetProperty("msg", out System.Text.Json.JsonElement m) && m.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                msg = m.GetString()!;
                if (root.TryGetProperty("details", out System.Text.Json.JsonElement d) && d.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    details = d.GetString();
                }

                return true;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: reported with the raw output.
        }

        return false;
    }

    private static void Set(ProcessStartInfo psi, string name, string? value)
    {
        if (value is null)
        {
            psi.Environment.Remove(name);
        }
        else
        {
            psi.Environment[name] = value;
        }
    }

    private static string Truncate(string text) => text.Length <= 1024 ? text : string.Concat(text.AsSpan(0, 1024), "...");
}
