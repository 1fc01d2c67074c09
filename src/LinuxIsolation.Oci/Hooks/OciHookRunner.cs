using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci.Hooks;

/// <summary>
/// Runs hooks in the runtime namespace (prestart, createRuntime, poststart, poststop): the program at
/// <c>path</c> with exactly <c>args</c> as argv (argv[0] included; just the path when absent) and exactly
/// <c>env</c> as its environment, the container's state JSON on its standard input, its standard output
/// discarded and its standard error kept for the message; killed with SIGKILL when it outlives <c>timeout</c>
/// seconds. A hook fails when it exits non-zero, is killed, times out, or cannot be started.
/// </summary>
public static class OciHookRunner
{
    /// <summary>Runs one hook and waits for it (started with <see cref="IsolatedProcess"/>, no new namespace).</summary>
    /// <param name="hook">The hook.</param>
    /// <param name="jsonPath">Its JSON path for messages ("hooks.prestart[0]").</param>
    /// <param name="state">The state written to its standard input.</param>
    /// <param name="defaultTimeout">The limit when the hook has none (null: none).</param>
    public static OciHookResult Run(OciHook hook, string jsonPath, OciState state, TimeSpan? defaultTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(state);
        string path = hook.Path ?? throw new ArgumentException("the hook has no path", nameof(hook));
        IList<string> args = hook.Args ?? [];
        var info = new IsolatedProcessStartInfo(path, args.Count > 1 ? [.. args.Skip(1)] : [])
        {
            ArgumentZero = args.Count > 0 ? args[0] : path,
            StandardInput = ProcessStdio.Pipe,
            StandardOutput = ProcessStdio.Null,
            StandardError = ProcessStdio.Pipe,
        };
        info.Environment.Clear();
        foreach (string e in hook.Env ?? [])
        {
            int eq = e.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                info.Environment[e.Substring(0, eq)] = e.Substring(eq + 1);
            }
        }

        TimeSpan? timeout = hook.Timeout is int seconds ? TimeSpan.FromSeconds(seconds) : defaultTimeout;
        IsolatedProcess process;
        try
        {
            process = IsolatedProcess.Start(info);
        }
        catch (Exception e) when (e is ArgumentException or LinuxSyscallException or InvalidOperationException)
        {
            return OciHookResult.NotStarted(jsonPath, path, e);
        }

        using (process)
        {
            Task<string> stderr = new StreamReader(process.StandardError!, Encoding.UTF8).ReadToEndAsync();
            try
            {
                process.StandardInput!.Write(Encoding.UTF8.GetBytes(OciJson.Serialize(state, indented: false)));
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The hook need not read its input (EPIPE when it exits first).
            }

            bool exited = timeout is TimeSpan t ? process.WaitForExit(t) : WaitForever(process);
            if (!exited)
            {
                process.Kill();
                process.WaitForExit();
            }

            string err = stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : string.Empty;
            if (err.Length > 4096)
            {
                err = err.Substring(0, 4096);
            }

            ProcessExitStatus status = process.ExitStatus;
            return new OciHookResult(jsonPath, path, exited ? status.ExitCode : null, exited ? status.Signal : 9, !exited, err);
        }
    }

    /// <summary>
    /// Runs the hooks of <paramref name="kind"/> from <paramref name="hooks"/> in order. For prestart,
    /// createRuntime (and the container-namespace kinds, when a caller runs them this way) the first failure
    /// stops the list and is thrown; for poststart and poststop every hook runs and failures are returned as
    /// warnings (runtime.md: "the runtime MUST log a warning, but the remaining hooks and lifecycle continue").
    /// </summary>
    /// <param name="hooks">The config's hooks, or null.</param>
    /// <param name="kind">Which list.</param>
    /// <param name="state">The state for their standard input.</param>
    /// <returns>The failures of warning-only kinds (empty when all succeeded).</returns>
    /// <exception cref="OciHookException">A hook of a failing kind failed.</exception>
    public static IReadOnlyList<OciHookResult> RunAll(OciHooks? hooks, OciHookKind kind, OciState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        (string name, IList<OciHook>? list) = kind switch
        {
            OciHookKind.Prestart => ("prestart", hooks?.Prestart),
            OciHookKind.CreateRuntime => ("createRuntime", hooks?.CreateRuntime),
            OciHookKind.CreateContainer => ("createContainer", hooks?.CreateContainer),
            OciHookKind.StartContainer => ("startContainer", hooks?.StartContainer),
            OciHookKind.Poststart => ("poststart", hooks?.Poststart),
            OciHookKind.Poststop => ("poststop", hooks?.Poststop),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        bool warnOnly = kind is OciHookKind.Poststart or OciHookKind.Poststop;
        var failures = new List<OciHookResult>();
        for (int i = 0; i < (list?.Count ?? 0); i++)
        {
            OciHookResult result = Run(list![i], OciProblems.Index("hooks." + name, i), state);
            if (result.Succeeded)
            {
                continue;
            }

            if (!warnOnly)
            {
                throw new OciHookException(result);
            }

            failures.Add(result);
        }

        return failures;
    }

    private static bool WaitForever(IsolatedProcess process)
    {
        process.WaitForExit();
        return true;
    }
}
