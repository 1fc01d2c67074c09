using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Tests.Namespaces;

/// <summary>
/// Issue 8 item 5 with shared clients: many thread-pool callers use ONE rtnetlink client per namespace at once.
/// Every reply must be the one its caller asked for (a reply matched to the wrong caller would name another
/// link or carry another address), nothing deadlocks, and no thread of the process ends in a foreign namespace.
/// </summary>
[Collection(ThreadRuleCollection.Name)]
public class SharedClientConcurrencyTests
{
    private const int Operations = 1000;
    private const int NamespaceCount = 50;
    private const int BridgesPerNamespace = 4;

    [Fact]
    public async Task ThousandOperationsOnSharedClientsEachGetTheirOwnReply()
    {
        Privileged.Require();
        string original = NsTool.ReadLink("/proc/self/ns/net");
        var namespaces = new NetworkNamespace[NamespaceCount];
        var clients = new RtnetlinkClient[NamespaceCount];
        // What each namespace holds, recorded when it was made: bridge name -> index.
        var bridges = new Dictionary<string, int>[NamespaceCount];
        try
        {
            for (int n = 0; n < NamespaceCount; n++)
            {
                namespaces[n] = NetworkNamespace.CreateAnonymous();
                clients[n] = namespaces[n].OpenRtnetlink();
                bridges[n] = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int b = 0; b < BridgesPerNamespace; b++)
                {
                    // Names differ across namespaces too, so a reply from the wrong namespace is caught as well.
                    string name = $"sc{n}b{b}";
                    bridges[n][name] = clients[n].CreateBridge(name).Index;
                }
            }

            int completed = 0;
            Task[] work = Enumerable.Range(0, Operations).Select(i => Task.Run(() =>
            {
                int n = i % NamespaceCount;
                int b = i / NamespaceCount % BridgesPerNamespace;
                RtnetlinkClient client = clients[n];
                string name = $"sc{n}b{b}";
                int index = bridges[n][name];
                switch (i % 5)
                {
                    case 0:
                        Link byName = client.GetLink(name);
                        Assert.Equal(index, byName.Index);
                        Assert.Equal(name, byName.Name);
                        break;
                    case 1:
                        Assert.Equal(name, client.GetLink(index).Name);
                        break;
                    case 2:
                        string[] expected = bridges[n].Keys.Append("lo").Order(StringComparer.Ordinal).ToArray();
                        Assert.Equal(expected, client.ListLinks().Select(l => l.Name).Order(StringComparer.Ordinal).ToArray());
                        break;
                    case 3:
                        // A write, then a read of it through the same shared client: the address is this caller's own.
                        var address = IPAddress.Parse($"10.{n}.{i % 250}.{1 + (i / 250)}");
                        client.AddAddress(index, address, 32);
                        Assert.Contains(client.ListAddresses(index), a => a.Address.Equals(address));
                        client.DeleteAddress(index, address, 32);
                        break;
                    default:
                        Assert.Equal(namespaces[n].Id.Inode, NsTool.InodeOfDescriptor(namespaces[n].Run(NsTool.OpenThreadNetRaw)));
                        break;
                }

                Interlocked.Increment(ref completed);
            })).ToArray();

            // A deadlock shows as this wait giving up (a generous bound; this is not a timing assertion).
            await Task.WhenAll(work).WaitAsync(TimeSpan.FromMinutes(5));
            Assert.Equal(Operations, completed);

            for (int n = 0; n < NamespaceCount; n++)
            {
                Assert.Empty(clients[n].ListAddresses(bridges[n].Values.First()));
            }

            ThreadRuleTests.AssertEveryThreadIn(original);
        }
        finally
        {
            foreach (RtnetlinkClient? client in clients)
            {
                client?.Dispose();
            }

            foreach (NetworkNamespace? ns in namespaces)
            {
                ns?.Dispose();
            }
        }
    }
}
