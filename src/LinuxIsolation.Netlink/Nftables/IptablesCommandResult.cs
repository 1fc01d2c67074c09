namespace LinuxIsolation.Netlink.Nftables;

/// <summary>The outcome of one iptables program run by an <see cref="IptablesRunner"/>.</summary>
/// <param name="ExitCode">The exit code; 0 for success.</param>
/// <param name="StandardOutput">What it wrote to standard output.</param>
/// <param name="StandardError">What it wrote to standard error.</param>
public sealed record IptablesCommandResult(int ExitCode, string StandardOutput, string StandardError);
