using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using LinuxIsolation.Namespaces;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

/// <summary>
/// A throwaway world for the built lxi-cni: a "host" network namespace the plugin runs in (through
/// <c>ip netns exec HOST</c>, as a runtime on that host would start it), container namespaces, an IPAM data
/// directory and a conflist, all removed on dispose. Nothing touches the machine's own namespace.
/// </summary>
internal sealed class LxiCniWorld : IDisposable
{
    private static int s_next;
    private readonly List<NetworkNamespace> _namespaces = [];

    /// <param name="subnet">The built-in host-local's subnet.</param>
    /// <param name="extraIpam">More fields of the range.</param>
    /// <param name="extraPlugin">More fields of the plugin's configuration (each starting with a comma).</param>
    /// <param name="ipam">The whole <c>ipam</c> object instead of the built-in host-local's; "DATADIR" in it is replaced by <see cref="DataDir"/>.</param>
    public LxiCniWorld(string subnet = "10.99.0.0/24", string extraIpam = "", string extraPlugin = "", string? ipam = null)
    {
        Privileged.Require();
        int n = Interlocked.Increment(ref s_next);
        Tag = $"{Environment.ProcessId}x{n}";
        Host = Track(NetworkNamespace.CreateNamed($"lxicnih{Tag}", deleteOnDispose: true));
        DataDir = Directory.CreateTempSubdirectory("lxicni-ipam").FullName;
        Bridge = $"lxbr{Tag}";
        if (Bridge.Length > 15)
        {
            Bridge = Bridge[..15];
        }

        Network = $"net{Tag}";
        ipam = ipam?.Replace("DATADIR", DataDir, StringComparison.Ordinal)
            ?? $$$"""{"type":"host-local","ranges":[[{"subnet":"{{{subnet}}}"{{{extraIpam}}}}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"{{{DataDir}}}"}""";
        List = CniNetworkConfigList.Parse($$$"""
            {"cniVersion":"1.0.0","name":"{{{Network}}}","plugins":[
              {"type":"lxi-cni","bridge":"{{{Bridge}}}","isGateway":true,"ipMasq":true{{{extraPlugin}}},
               "ipam":{{{ipam}}}}]}
            """);
    }

    public string Tag { get; }

    public NetworkNamespace Host { get; }

    public string DataDir { get; }

    public string Bridge { get; }

    public string Network { get; }

    public CniNetworkConfigList List { get; }

    /// <summary>Another plugin to run instead of lxi-cni (the reference bridge in the side-by-side test), or null.</summary>
    public string? PluginPath { get; init; }

    public string IpamDirectory => Path.Combine(DataDir, Network);

    /// <summary>The built plugin (tests/run builds the solution first).</summary>
    public static string Plugin
    {
        get
        {
            string dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "LinuxIsolation.sln")))
            {
                dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("LinuxIsolation.sln not found above the test directory.");
            }

            string plugin = Path.Combine(dir, "src/lxi-cni/bin/Release/net10.0/lxi-cni");
            Assert.True(File.Exists(plugin), $"{plugin} is not built: dotnet build src/lxi-cni -c Release");
            return plugin;
        }
    }

    public NetworkNamespace NewContainer(string name) => Track(NetworkNamespace.CreateNamed($"lxicni{name}{Tag}", deleteOnDispose: true));

    public static string PathOf(NetworkNamespace ns) => Path.Combine(NetworkNamespace.RunDirectory, ns.Name!);

    /// <summary>Runs <c>ip netns exec HOST lxi-cni</c> with the CNI variables and <paramref name="stdin"/>; returns its exit status and stdout.</summary>
    public (int Status, string Stdout) Run(string command, string? containerId, NetworkNamespace? container, string? ifName, byte[] stdin, Action<IDictionary<string, string?>>? edit = null)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "netns", "exec", Host.Name!, PluginPath ?? Plugin })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["CNI_COMMAND"] = command;
        psi.Environment["CNI_PATH"] = "/usr/lib/cni";
        psi.Environment["CNI_CONTAINERID"] = containerId;
        psi.Environment["CNI_NETNS"] = container is null ? null : PathOf(container);
        psi.Environment["CNI_IFNAME"] = ifName;
        edit?.Invoke(psi.Environment);
        using Process p = Process.Start(psi)!;
        p.StandardInput.BaseStream.Write(stdin);
        p.StandardInput.Close();
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(stderr.Length == 0, $"lxi-cni wrote to stderr: {stderr}");
        return (p.ExitCode, stdout);
    }

    public (int Status, string Stdout) Run(string command, string containerId, NetworkNamespace? container, CniResult? prev = null) =>
        Run(command, containerId, container, "eth0", List.BuildPluginConfig(0, prev));

    public CniResult Add(string containerId, NetworkNamespace container)
    {
        (int status, string stdout) = Run("ADD", containerId, container);
        Assert.True(status == 0, $"ADD {containerId} failed: {stdout}");
        return CniResult.Parse(stdout);
    }

    /// <summary>Runs a tool and returns its stdout (the independent check).</summary>
    public static string Tool(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
        return output;
    }

    public Dictionary<string, string> IpamFiles()
    {
        var files = new Dictionary<string, string>();
        if (Directory.Exists(IpamDirectory))
        {
            foreach (string f in Directory.GetFiles(IpamDirectory))
            {
                string name = Path.GetFileName(f);
                if (name is not "lock" and not "network.lock" and not "last_reserved_ip.0")
                {
                    files[name] = File.ReadAllText(f, Encoding.UTF8);
                }
            }
        }

        return files;
    }

    private NetworkNamespace Track(NetworkNamespace ns)
    {
        _namespaces.Add(ns);
        return ns;
    }

    public void Dispose()
    {
        foreach (NetworkNamespace ns in _namespaces)
        {
            ns.Dispose();
        }

        Directory.Delete(DataDir, recursive: true);
    }
}
