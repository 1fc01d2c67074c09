using System;
using System.Net;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Compare;

/// <summary><c>ip link add veth0 type veth peer name eth0 netns NSFD</c>: one RTM_NEWLINK request, 100 bytes.</summary>
internal struct EncodeVethCreate : ICompareCase
{
    public static string Name => "encode veth-create";

    public static void Setup()
    {
    }

    public static int Run(Span<byte> buffer)
    {
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteCreateVeth(ref writer, "veth0", "eth0", NetworkNamespaceTarget.FromFileDescriptor(4));
        return writer.Length;
    }
}

/// <summary><c>ip addr add 10.201.0.4/24 dev IFINDEX</c>: one RTM_NEWADDR request, 40 bytes.</summary>
internal struct EncodeAddressAdd : ICompareCase
{
    private static IPAddress s_address = IPAddress.None;

    public static string Name => "encode addr-add";

    public static void Setup() => s_address = IPAddress.Parse("10.201.0.4");

    public static int Run(Span<byte> buffer)
    {
        var writer = new NetlinkWriter(buffer);
        AddressMessages.WriteAdd(ref writer, 2, s_address, 24);
        return writer.Length;
    }
}
