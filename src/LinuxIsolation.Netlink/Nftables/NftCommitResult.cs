using System.Collections.Generic;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>The outcome of a committed <see cref="NftTransaction"/>.</summary>
public sealed class NftCommitResult
{
    internal NftCommitResult(ulong?[] handles, IReadOnlyList<NftRule> rules)
    {
        Handles = handles;
        Rules = rules;
    }

    /// <summary>
    /// The handle the kernel gave each operation's object, by operation index (returned through <c>NLM_F_ECHO</c>):
    /// set for added tables, chains, rules and sets; null for other operations.
    /// </summary>
    public IReadOnlyList<ulong?> Handles { get; }

    /// <summary>The rules added, inserted or replaced, as the kernel echoed them (with their handles), in operation order.</summary>
    public IReadOnlyList<NftRule> Rules { get; }
}
