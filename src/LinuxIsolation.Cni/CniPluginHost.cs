using System;
using System.IO;
using System.Linq;
using System.Text;

namespace LinuxIsolation.Cni;

/// <summary>
/// Runs a <see cref="CniPlugin"/> as the CNI spec's executable protocol: reads the environment and stdin, validates
/// them, dispatches the command, writes the result (ADD, in the request's <c>cniVersion</c>), the version answer
/// (VERSION) or nothing (DEL, CHECK, STATUS, GC) to stdout, and on failure the spec's error JSON to stdout with exit
/// status 1.
/// </summary>
public static class CniPluginHost
{
    /// <summary>Runs <paramref name="plugin"/> on this process's environment, stdin and stdout; returns the exit status.</summary>
    /// <param name="plugin">The plugin.</param>
    public static int Run(CniPlugin plugin)
    {
        using Stream stdin = Console.OpenStandardInput();
        using Stream stdout = Console.OpenStandardOutput();
        return Run(plugin, Environment.GetEnvironmentVariable, stdin, stdout);
    }

    /// <summary>Runs <paramref name="plugin"/> on the given environment and streams; returns the exit status (0 or 1).</summary>
    /// <param name="plugin">The plugin.</param>
    /// <param name="getVariable">Returns an environment variable's value, or null.</param>
    /// <param name="stdin">The configuration is read from it (to its end; VERSION does not need one).</param>
    /// <param name="stdout">The result or error JSON is written to it.</param>
    public static int Run(CniPlugin plugin, Func<string, string?> getVariable, Stream stdin, Stream stdout)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(getVariable);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        string version = CniVersions.Latest;
        try
        {
            CniEnvironment env = CniEnvironment.Read(getVariable);
            if (env.Command == CniCommand.Version)
            {
                Write(stdout, new CniVersionResult { CniVersion = CniVersions.Latest, SupportedVersions = plugin.SupportedVersions }.ToJson());
                return 0;
            }

            byte[] input = ReadAll(stdin);
            CniNetworkConfig config = CniNetworkConfig.Parse(input);
            version = config.CniVersion!;
            if (!plugin.SupportedVersions.Contains(version))
            {
                throw new CniException(CniErrorCode.IncompatibleVersion, $"\"cniVersion\" \"{version}\" is not supported by this plugin (supported: {string.Join(", ", plugin.SupportedVersions)}).");
            }

            RequireVersion(env.Command, version);
            var request = new CniRequest(env, config, input);
            switch (env.Command)
            {
                case CniCommand.Add:
                    Write(stdout, plugin.Add(request).ToJson(version));
                    break;
                case CniCommand.Del:
                    plugin.Delete(request);
                    break;
                case CniCommand.Check:
                    if (config.PrevResult is null)
                    {
                        throw new CniException(CniErrorCode.InvalidNetworkConfig, "CHECK needs \"prevResult\" in the network configuration.");
                    }

                    plugin.Check(request);
                    break;
                case CniCommand.Status:
                    plugin.Status(request);
                    break;
                case CniCommand.Gc:
                    plugin.GarbageCollect(request, config.ValidAttachments ?? []);
                    break;
            }

            return 0;
        }
        catch (CniException e)
        {
            return Fail(stdout, e.ToError(version));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Fail(stdout, new CniError { CniVersion = version, Code = CniErrorCode.Unknown, Msg = e.Message, Details = e.GetType().FullName });
        }
    }

    private static void RequireVersion(CniCommand command, string version)
    {
        string? minimum = command switch
        {
            CniCommand.Check => CniVersions.V040,
            CniCommand.Status or CniCommand.Gc => CniVersions.V110,
            _ => null,
        };
        if (minimum is not null && CniVersions.Compare(version, minimum) < 0)
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"{command.ToString().ToUpperInvariant()} needs \"cniVersion\" {minimum} or later; the configuration has {version}.");
        }
    }

    private static byte[] ReadAll(Stream stdin)
    {
        try
        {
            var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IoFailure, $"Reading the network configuration from stdin: {e.Message}", innerException: e);
        }
    }

    private static int Fail(Stream stdout, CniError error)
    {
        try
        {
            Write(stdout, error.ToJson());
        }
        catch (IOException)
        {
            // stdout is gone: the exit status still says it failed.
        }

        return 1;
    }

    private static void Write(Stream stdout, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        stdout.Write(bytes);
        stdout.Flush();
    }
}
