using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using LinuxIsolation.Oci;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Oci.State;
using static LinuxIsolation.Lxi.CommandLine;

namespace LinuxIsolation.Lxi;

/// <summary>
/// lxi's commands with runc's flags, arguments and exit conventions: 0 on success, 1 on an error (logged),
/// and for <c>run</c> and <c>exec</c> in the foreground the process's status (its exit code, or 128 + signal).
/// </summary>
internal sealed class Commands
{
    private static readonly Flag[] CreateFlags =
    [
        new("bundle", ["b"], true), new("console-socket", [], true), new("pid-file", [], true), new("no-pivot", [], false),
        new("no-new-keyring", [], false), new("preserve-fds", [], true), new("pidfd-socket", [], true),
    ];

    private static readonly Flag[] RunFlags =
    [
        .. CreateFlags, new("detach", ["d"], false), new("keep", [], false), new("no-subreaper", [], false),
    ];

    private static readonly Flag[] ExecFlags =
    [
        new("process", ["p"], true), new("detach", ["d"], false), new("pid-file", [], true), new("console-socket", [], true),
        new("tty", ["t"], false), new("cwd", [], true), new("env", ["e"], true, Repeats: true), new("user", ["u"], true),
        new("additional-gids", ["g"], true, Repeats: true), new("process-label", [], true), new("apparmor", [], true),
        new("no-new-privs", [], false), new("cap", ["c"], true, Repeats: true), new("preserve-fds", [], true),
        new("cgroup", [], true, Repeats: true), new("ignore-paused", [], false), new("pidfd-socket", [], true),
    ];

    private readonly ContainerRuntime _runtime;
    private readonly LxiLog _log;

    public Commands(ContainerRuntime runtime, LxiLog log, CommandLine global)
    {
        _runtime = runtime;
        _log = log;
        if (global.Bool("systemd-cgroup"))
        {
            throw new LxiException("--systemd-cgroup is not supported: lxi manages cgroup v2 directories itself, without systemd");
        }
    }

    public int Run(string command, string[] args, int from) => command switch
    {
        "create" => Create(args, from),
        "start" => Start(args, from),
        "run" => RunContainer(args, from),
        "state" => State(args, from),
        "kill" => Kill(args, from),
        "delete" => Delete(args, from),
        "exec" => Exec(args, from),
        "list" => List(args, from),
        "ps" => Ps(args, from),
        "pause" => Pause(args, from, true),
        "resume" => Pause(args, from, false),
        "features" => Features(args, from),
        "spec" => Spec(args, from),
        _ => throw new LxiException($"No help topic for '{command}'"),
    };

    private static string Id(CommandLine line, string command, int extraAllowed = 0)
    {
        if (line.Positional.Count == 0)
        {
            throw new LxiException($"\"{command}\" requires a minimum of 1 argument") { ShowUsage = true };
        }

        if (line.Positional.Count > 1 + extraAllowed)
        {
            throw new LxiException($"\"{command}\" requires a maximum of {1 + extraAllowed} argument{(extraAllowed > 0 ? "s" : "")}") { ShowUsage = true };
        }

        return line.Positional[0];
    }

    private static int Fds(CommandLine line)
    {
        string? v = line.Value("preserve-fds");
        return v is null ? 0 : int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw new LxiException($"invalid value \"{v}\" for flag -preserve-fds");
    }

    private int Create(string[] args, int from)
    {
        CommandLine line = Parse(args, from, CreateFlags, out _);
        string id = Id(line, "create");
        _runtime.Create(id, line.Value("bundle") ?? Directory.GetCurrentDirectory(), line.Value("pid-file"), line.Value("console-socket"), line.Bool("no-pivot"), Fds(line));
        return 0;
    }

    private int Start(string[] args, int from)
    {
        CommandLine line = Parse(args, from, [], out _);
        _runtime.Start(Id(line, "start"));
        return 0;
    }

    private int RunContainer(string[] args, int from)
    {
        CommandLine line = Parse(args, from, RunFlags, out _);
        string id = Id(line, "run");
        CreatedContainerProcess created = _runtime.Create(id, line.Value("bundle") ?? Directory.GetCurrentDirectory(), line.Value("pid-file"), line.Value("console-socket"), line.Bool("no-pivot"), Fds(line));
        try
        {
            _runtime.Start(id);
        }
        catch
        {
            _runtime.Delete(id, force: true);
            throw;
        }

        if (line.Bool("detach"))
        {
            // lxi is the init's parent here: end at once, so that the subreaper adopts it and reaps it (lxi's
            // library would reap it if it exited while lxi still ran).
            _log.Dispose();
            Console.Out.Flush();
            Interop._exit(0);
        }

        int status = created.WaitForExit();
        if (!line.Bool("keep"))
        {
            _runtime.Delete(id, force: true);
        }

        return status;
    }

    private int State(string[] args, int from)
    {
        CommandLine line = Parse(args, from, [], out _);
        Console.Out.WriteLine(OciJson.Serialize(_runtime.State(Id(line, "state"))));
        return 0;
    }

    private int Kill(string[] args, int from)
    {
        CommandLine line = Parse(args, from, [new("all", ["a"], false), new("pid", [], true)], out _);
        string id = Id(line, "kill", extraAllowed: 1);
        int signal = line.Positional.Count > 1 ? OciSignals.Parse(line.Positional[1]) : 15;
        _runtime.Kill(id, signal, line.Bool("all"));
        return 0;
    }

    private int Delete(string[] args, int from)
    {
        CommandLine line = Parse(args, from, [new("force", ["f"], false)], out _);
        _runtime.Delete(Id(line, "delete"), line.Bool("force"));
        return 0;
    }

    private int Pause(string[] args, int from, bool freeze)
    {
        CommandLine line = Parse(args, from, [], out _);
        _runtime.Freeze(Id(line, freeze ? "pause" : "resume"), freeze);
        return 0;
    }

    private int Exec(string[] args, int from)
    {
        CommandLine line = Parse(args, from, ExecFlags, out _);
        if (line.Positional.Count == 0)
        {
            throw new LxiException("\"exec\" requires a minimum of 1 argument") { ShowUsage = true };
        }

        string id = line.Positional[0];
        OciProcess process;
        if (line.Value("process") is string file)
        {
            process = OciJson.ParseProcess(File.ReadAllBytes(file), file);
        }
        else
        {
            if (line.Positional.Count < 2)
            {
                throw new LxiException("\"exec\" requires a minimum of 2 arguments") { ShowUsage = true };
            }

            process = ProcessFromFlags(_runtime.Store.Load(id).Config?.Process, line);
        }

        if (line.IsSet("tty"))
        {
            process.Terminal = line.Bool("tty");
        }

        bool detach = line.Bool("detach");
        ExecutedProcess started = _runtime.Exec(id, process, line.Value("console-socket"), line.Value("pid-file"), Fds(line), line.Bool("ignore-paused"), detach);
        if (started.ReleaseAndExit is { } releaseAndExit)
        {
            _log.Dispose();
            Console.Out.Flush();
            releaseAndExit();
        }

        return detach ? 0 : started.WaitForExit();
    }

    /// <summary>runc's exec without -p: the container's own process settings, with the arguments and flags given.</summary>
    private static OciProcess ProcessFromFlags(OciProcess? container, CommandLine line)
    {
        OciProcess p = container is null ? new OciProcess() : OciJson.ParseProcess(Encoding.UTF8.GetBytes(OciJson.Serialize(container)));
        p.Args = line.Positional.Skip(1).ToList();
        p.Terminal = false;
        p.ConsoleSize = null;
        var env = new List<string>(p.Env ?? []);
        env.AddRange(line.Values("env"));
        p.Env = env;
        if (line.Value("cwd") is string cwd)
        {
            p.Cwd = cwd;
        }

        p.Cwd ??= "/";
        if (line.Value("user") is string user)
        {
            string[] parts = user.Split(':');
            p.User = new OciUser
            {
                Uid = uint.Parse(parts[0], CultureInfo.InvariantCulture),
                Gid = parts.Length > 1 ? uint.Parse(parts[1], CultureInfo.InvariantCulture) : 0,
            };
        }

        if (line.Values("additional-gids") is { Count: > 0 } gids)
        {
            p.User ??= new OciUser { Uid = 0, Gid = 0 };
            p.User.AdditionalGids = gids.Select(g => uint.Parse(g, CultureInfo.InvariantCulture)).ToList();
        }

        if (line.Bool("no-new-privs"))
        {
            p.NoNewPrivileges = true;
        }

        if (line.Values("cap") is { Count: > 0 } caps && p.Capabilities is { } c)
        {
            foreach (string cap in caps)
            {
                foreach (IList<string>? set in new[] { c.Bounding, c.Effective, c.Permitted })
                {
                    if (set is not null && !set.Contains(cap))
                    {
                        set.Add(cap);
                    }
                }
            }
        }

        return p;
    }

    private int List(string[] args, int from)
    {
        CommandLine line = Parse(args, from, [new("format", ["f"], true), new("quiet", ["q"], false)], out _);
        IReadOnlyList<OciContainerRecord> records = _runtime.Store.List((dir, e) => _log.Warn($"{dir}: {e.Message}"));
        if (line.Bool("quiet"))
        {
            foreach (OciContainerRecord r in records)
            {
                Console.Out.WriteLine(r.Id);
            }

            return 0;
        }

        List<OciState> states = records.Select(r => r.ToState(OciContainerStatusProbe.GetStatus(r))).ToList();
        switch (line.Value("format") ?? "table")
        {
            case "json":
                Console.Out.WriteLine(OciJson.Serialize(states));
                return 0;
            case "table":
                var sb = new StringBuilder();
                sb.Append(CultureInfo.InvariantCulture, $"{"ID",-12} {"PID",-8} {"STATUS",-10} {"BUNDLE",-40} {"CREATED",-32} OWNER\n");
                for (int i = 0; i < records.Count; i++)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{states[i].Id,-12} {states[i].Pid,-8} {states[i].Status,-10} {states[i].Bundle,-40} {records[i].Created,-32} root\n");
                }

                Console.Out.Write(sb.ToString());
                return 0;
            default:
                throw new LxiException("invalid format option");
        }
    }

    private int Ps(string[] args, int from)
    {
        CommandLine line = Parse(args, from, [new("format", ["f"], true)], out _);
        if (line.Positional.Count == 0)
        {
            throw new LxiException("\"ps\" requires a minimum of 1 argument") { ShowUsage = true };
        }

        IReadOnlyList<int> pids = _runtime.Processes(line.Positional[0]);
        string format = line.Value("format") ?? "table";
        if (format == "json")
        {
            Console.Out.WriteLine(OciJson.Serialize(pids.ToList()));
            return 0;
        }

        if (format != "table")
        {
            throw new LxiException("invalid format option");
        }

        // As runc: run ps(1) with the options given (default -ef) and keep the header and the container's lines.
        var psi = new System.Diagnostics.ProcessStartInfo("ps") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in line.Positional.Count > 1 ? line.Positional.Skip(1) : ["-ef"])
        {
            psi.ArgumentList.Add(a);
        }

        using System.Diagnostics.Process ps = System.Diagnostics.Process.Start(psi) ?? throw new LxiException("cannot run ps");
        string[] lines = ps.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        ps.WaitForExit();
        if (lines.Length == 0)
        {
            return 0;
        }

        int column = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (column < 0)
        {
            throw new LxiException("couldn't find PID field in ps output");
        }

        Console.Out.WriteLine(lines[0]);
        var wanted = new HashSet<int>(pids);
        foreach (string l in lines.Skip(1))
        {
            string[] fields = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > column && int.TryParse(fields[column], CultureInfo.InvariantCulture, out int pid) && wanted.Contains(pid))
            {
                Console.Out.WriteLine(l);
            }
        }

        return 0;
    }

    private static int Features(string[] args, int from)
    {
        Parse(args, from, [], out _);
        Console.Out.WriteLine(OciJson.Serialize(OciFeaturesDocument.Create(Program.Version)));
        return 0;
    }

    private static int Spec(string[] args, int from)
    {
        CommandLine line = Parse(args, from, [new("bundle", ["b"], true), new("rootless", [], false)], out _);
        string bundle = line.Value("bundle") ?? Directory.GetCurrentDirectory();
        string path = Path.Combine(bundle, OciBundle.ConfigFileName);
        if (File.Exists(path))
        {
            throw new LxiException("File config.json exists. Remove it first");
        }

        (uint uid, uint gid) = line.Bool("rootless") ? OwnIds() : (0u, 0u);
        OciSpec spec = OciDefaultSpec.Create(line.Bool("rootless"), uid, gid);
        File.WriteAllText(path, OciJson.Serialize(spec) + "\n");
        return 0;
    }

    /// <summary>The effective uid and gid of lxi (the "Uid:" and "Gid:" lines of /proc/self/status, second field).</summary>
    private static (uint Uid, uint Gid) OwnIds()
    {
        uint uid = 0, gid = 0;
        foreach (string l in File.ReadAllLines("/proc/self/status"))
        {
            string[] f = l.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > 2 && f[0] == "Uid:")
            {
                uid = uint.Parse(f[2], CultureInfo.InvariantCulture);
            }
            else if (f.Length > 2 && f[0] == "Gid:")
            {
                gid = uint.Parse(f[2], CultureInfo.InvariantCulture);
            }
        }

        return (uid, gid);
    }
}
