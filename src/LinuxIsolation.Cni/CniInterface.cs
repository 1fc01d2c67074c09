using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>An interface of a result (<c>interfaces[]</c>): a host-side one has no <see cref="Sandbox"/>.</summary>
public sealed record CniInterface
{
    /// <summary>The interface name, e.g. "eth0" or "cni0".</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The hardware address, lower case with colons ("aa:bb:..."), or null.</summary>
    [JsonPropertyName("mac")]
    public string? Mac { get; init; }

    /// <summary>The MTU (CNI 1.1.0), or null.</summary>
    [JsonPropertyName("mtu")]
    public int? Mtu { get; init; }

    /// <summary>The path of the network namespace the interface is in (<c>CNI_NETNS</c>), null for host interfaces.</summary>
    [JsonPropertyName("sandbox")]
    public string? Sandbox { get; init; }

    /// <summary>A socket path for userspace interfaces (CNI 1.1.0), or null.</summary>
    [JsonPropertyName("socketPath")]
    public string? SocketPath { get; init; }

    /// <summary>The PCI id of a device interface (CNI 1.1.0), or null.</summary>
    [JsonPropertyName("pciID")]
    public string? PciId { get; init; }
}
