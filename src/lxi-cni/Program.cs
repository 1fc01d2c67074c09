using LinuxIsolation.Cni;

namespace LinuxIsolation.LxiCni;

/// <summary>The executable: the CNI protocol is <see cref="CniPluginHost"/>'s, the work <see cref="BridgePlugin"/>'s.</summary>
internal static class Program
{
    private static int Main() => CniPluginHost.Run(new BridgePlugin());
}
