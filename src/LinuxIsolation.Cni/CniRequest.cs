using System;

namespace LinuxIsolation.Cni;

/// <summary>One invocation of a plugin: its validated environment, its parsed configuration and the raw stdin.</summary>
/// <param name="Environment">The CNI environment variables.</param>
/// <param name="Config">The network configuration.</param>
/// <param name="Stdin">The bytes read from stdin (for delegating to another plugin unchanged).</param>
public sealed record CniRequest(CniEnvironment Environment, CniNetworkConfig Config, ReadOnlyMemory<byte> Stdin)
{
    /// <summary>The container ID (set for ADD, DEL and CHECK).</summary>
    public string ContainerId => Environment.ContainerId ?? throw new InvalidOperationException("CNI_CONTAINERID is not set for this command.");

    /// <summary>The interface name inside the container (set for ADD, DEL and CHECK).</summary>
    public string IfName => Environment.IfName ?? throw new InvalidOperationException("CNI_IFNAME is not set for this command.");

    /// <summary>The configuration's <c>cniVersion</c>, the version the result is written in.</summary>
    public string CniVersion => Config.CniVersion!;
}
