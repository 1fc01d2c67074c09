using System.Collections.Generic;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Runs one iptables program (<c>iptables-nft-restore</c>, <c>ip6tables-legacy-save</c>, ...) with arguments and
/// optional standard input, and returns its result. <see cref="IptablesNatBackend.RunInCurrentNamespace"/> runs it
/// in the calling process's network namespace; supply another runner to reach another namespace.
/// </summary>
public delegate IptablesCommandResult IptablesRunner(string program, IReadOnlyList<string> arguments, string? standardInput);
