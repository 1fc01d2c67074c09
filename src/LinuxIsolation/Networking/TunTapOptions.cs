namespace LinuxIsolation.Networking;

/// <summary>Settings of a persistent tun/tap device, as <c>ip tuntap add</c> takes them. Null leaves a setting unset.</summary>
public sealed record TunTapOptions
{
    /// <summary>User id allowed to attach to the device (<c>user</c>, <c>TUNSETOWNER</c>); null for anyone with CAP_NET_ADMIN.</summary>
    public uint? Owner { get; init; }

    /// <summary>Group id allowed to attach to the device (<c>group</c>, <c>TUNSETGROUP</c>).</summary>
    public uint? Group { get; init; }

    /// <summary>Prefix packets with <c>struct tun_pi</c> (<c>pi</c>); off by default (<c>IFF_NO_PI</c>), as with iproute2.</summary>
    public bool PacketInformation { get; init; }

    /// <summary>Prefix packets with a virtio-net header (<c>vnet_hdr</c>, <c>IFF_VNET_HDR</c>).</summary>
    public bool VirtioNetHeader { get; init; }

    /// <summary>Allow several queues (<c>multi_queue</c>, <c>IFF_MULTI_QUEUE</c>).</summary>
    public bool MultiQueue { get; init; }
}
