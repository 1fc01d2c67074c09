using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Ownership;

// Started by LinuxIsolation.Tests (Ownership/LeftoverCrashTests) with:
//   OWNER NETNS WORLD OUTER INNER CGROUP-PARENT CGROUP-NAME TABLE
// It makes, all tagged with ResourceOwner.Current(OWNER): the named namespace NETNS; a veth pair OUTER (in the
// existing namespace WORLD) / INNER (in NETNS); the cgroup CGROUP-PARENT/CGROUP-NAME with a `sleep` moved into it
// (a workload that outlives its manager); the table `inet TABLE` in NETNS. Then, mid-setup as far as an
// orchestrator is concerned, it prints "ready TAG SLEEP-PID" and waits to be killed. It never cleans up.
if (args.Length == 1 && args[0] == "restore-fault")
{
    // Started by ThreadRuleTests.AFailedRestoreTerminatesTheProcess: the namespace worker's next restore is made to
    // fail (EIO, without calling setns), so creating a namespace must terminate this process (SIGABRT) before
    // "returned" is printed.
    typeof(NetworkNamespace).Assembly.GetType("LinuxIsolation.Namespaces.NamespaceSyscalls", throwOnError: true)!
        .GetField("s_injectRestoreFailure", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
        .SetValue(null, 5);
    Console.WriteLine("entering");
    Console.Out.Flush();
    using NetworkNamespace doomed = NetworkNamespace.CreateAnonymous();
    Console.WriteLine("returned");
    return 1;
}

if (args.Length != 8)
{
    Console.Error.WriteLine("usage: OwnerCrashChild OWNER NETNS WORLD OUTER INNER CGROUP-PARENT CGROUP-NAME TABLE");
    return 2;
}

ResourceOwner owner = ResourceOwner.Current(args[0]);
NetworkNamespace ns = NetworkNamespace.CreateNamed(args[1], owner);
using (NetworkNamespace world = NetworkNamespace.Open(args[2]))
using (RtnetlinkClient rtnetlink = world.OpenRtnetlink())
{
    rtnetlink.CreateVeth(args[3], args[4], ns, owner);
}

Cgroup parent = Cgroup.Open(args[5]);
Cgroup group = parent.CreateChild(args[6], owner);
var sleep = Process.Start(new ProcessStartInfo("sleep", "1000") { UseShellExecute = false })!;
group.AddProcess(sleep.Id);

using (var nft = new NftablesClient(ns.OpenNetlinkSocket(NetlinkProtocol.Netfilter)))
{
    nft.Commit(new NftTransaction().CreateTable(NftFamily.Inet, args[7], owner));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready {owner.Tag} {sleep.Id}"));
Console.Out.Flush();
Thread.Sleep(Timeout.Infinite);
return 0;
