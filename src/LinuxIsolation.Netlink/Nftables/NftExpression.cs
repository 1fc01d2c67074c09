namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// One expression of a rule (an element of <c>NFTA_RULE_EXPRESSIONS</c>): a load, a comparison, an action.
/// Build rules with <see cref="NftRuleBuilder"/>, which emits the same expressions as <c>nft</c> for the same
/// rule text, or compose these records directly. Decoded rules hold the same types; an expression this
/// library does not model is an <see cref="NftUnknownExpression"/>.
/// </summary>
public abstract record NftExpression
{
    /// <summary>The expression's kernel name (<c>NFTA_EXPR_NAME</c>), e.g. <c>payload</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Writes the attributes inside <c>NFTA_EXPR_DATA</c>.</summary>
    internal abstract void WriteData(ref NetlinkWriter writer);

    /// <summary>Checks the expression before anything is sent; throws <see cref="System.ArgumentException"/>.</summary>
    internal virtual void Validate()
    {
    }
}
