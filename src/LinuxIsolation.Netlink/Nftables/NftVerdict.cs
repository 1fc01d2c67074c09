using System;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>A verdict with, for jump and goto, its target chain (<c>NFTA_DATA_VERDICT</c>).</summary>
/// <param name="Code">The verdict.</param>
/// <param name="Chain">The target chain of <see cref="NftVerdictCode.Jump"/> and <see cref="NftVerdictCode.Goto"/>; null otherwise.</param>
public sealed record NftVerdict(NftVerdictCode Code, string? Chain = null)
{
    /// <summary><c>accept</c>.</summary>
    public static NftVerdict Accept { get; } = new(NftVerdictCode.Accept);

    /// <summary><c>drop</c>.</summary>
    public static NftVerdict Drop { get; } = new(NftVerdictCode.Drop);

    /// <summary><c>return</c>.</summary>
    public static NftVerdict Return { get; } = new(NftVerdictCode.Return);

    /// <summary><c>continue</c>.</summary>
    public static NftVerdict Continue { get; } = new(NftVerdictCode.Continue);

    /// <summary><c>jump CHAIN</c>.</summary>
    public static NftVerdict JumpTo(string chain) => new(NftVerdictCode.Jump, NftNames.ValidateChain(chain, nameof(chain)));

    /// <summary><c>goto CHAIN</c>.</summary>
    public static NftVerdict GotoChain(string chain) => new(NftVerdictCode.Goto, NftNames.ValidateChain(chain, nameof(chain)));

    /// <summary>The verdict as nft prints it: <c>accept</c>, <c>jump sub</c>, ...</summary>
    public override string ToString() => Code switch
    {
        NftVerdictCode.Accept => "accept",
        NftVerdictCode.Drop => "drop",
        NftVerdictCode.Continue => "continue",
        NftVerdictCode.Break => "break",
        NftVerdictCode.Return => "return",
        NftVerdictCode.Jump => $"jump {Chain}",
        NftVerdictCode.Goto => $"goto {Chain}",
        _ => $"verdict {(int)Code}",
    };

    internal void Validate()
    {
        if (Code is NftVerdictCode.Jump or NftVerdictCode.Goto)
        {
            NftNames.ValidateChain(Chain, nameof(Chain));
        }
        else if (Chain is not null)
        {
            throw new ArgumentException($"Only jump and goto verdicts name a chain; {Code} has chain \"{Chain}\".", nameof(Chain));
        }
    }
}
