using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using LinuxIsolation.Oci;
using LinuxIsolation.Oci.Hooks;
using LinuxIsolation.Oci.State;
using static LinuxIsolation.Lxi.CommandLine;

namespace LinuxIsolation.Lxi;

/// <summary>lxi's entry point: runc's global flags, then a command; exit 0 on success and 1 on any error, the message logged as runc logs it.</summary>
internal static class Program
{
    internal static readonly Flag[] GlobalFlags =
    [
        new("debug", [], false),
        new("log", [], true),
        new("log-format", [], true),
        new("root", [], true),
        new("criu", [], true),
        new("systemd-cgroup", [], false),
        new("rootless", [], true),
        new("help", ["h"], false),
        new("version", ["v"], false),
    ];

    internal static IContainerProcessLauncher Launcher { get; set; } = new LibraryProcessLauncher();

    public static int Main(string[] args)
    {
        LxiLog? log = null;
        string command = "";
        try
        {
            CommandLine global = Parse(args, 0, GlobalFlags, out int next);
            string format = global.Value("log-format") ?? "text";
            if (format is not ("text" or "json"))
            {
                log = new LxiLog(global.Value("log"), false, global.Bool("debug"));
                throw new LxiException("invalid log-format: " + format);
            }

            log = new LxiLog(global.Value("log"), format == "json", global.Bool("debug"));
            if (global.Bool("version"))
            {
                Console.Out.WriteLine(VersionText());
                return 0;
            }

            if (next >= args.Length || global.Bool("help"))
            {
                Console.Out.Write(Usage.Main);
                return next >= args.Length && !global.Bool("help") ? 0 : 0;
            }

            command = args[next];
            string root = global.Value("root") ?? OciStateStore.DefaultRoot;
            if (Path.GetFullPath(root) == "/")
            {
                throw new LxiException("Option --root argument should not be set to /");
            }

            var store = new OciStateStore(root);
            var runtime = new ContainerRuntime(store, log, Launcher);
            var commands = new Commands(runtime, log, global);
            return commands.Run(command, args, next + 1);
        }
        catch (Exception e) when (e is LxiException or OciConfigException or OciUnsupportedException or OciStateException
            or OciApplyException or OciHookException or LinuxSyscallException or ArgumentException or IOException
            or UnauthorizedAccessException or InvalidOperationException or TimeoutException or UndoFailedException)
        {
            log ??= new LxiLog(null, false, false);
            if (e is LxiException { ShowUsage: true })
            {
                Console.Out.Write("Incorrect Usage.\n\n" + Usage.For(command));
            }

            log.DebugLine(e.ToString());
            log.Error(Message(e));
            return 1;
        }
        finally
        {
            log?.Dispose();
        }
    }

    internal static string Message(Exception e) => e switch
    {
        ArgumentException a when a.ParamName is not null => a.Message.Replace($" (Parameter '{a.ParamName}')", string.Empty, StringComparison.Ordinal),
        _ => e.Message,
    };

    internal static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "0.0.0";

    private static string VersionText() => $"lxi version {Version}\nspec: {OciFeaturesDocument.Create().OciVersionMax}\ndotnet: {Environment.Version}";

    internal static IReadOnlyList<string> Rest(string[] args, int from) => args.AsSpan(from).ToArray();
}
