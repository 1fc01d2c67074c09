using System;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>An expression this library does not model (e.g. <c>limit</c>, <c>log</c>), kept as its name and raw attributes so it can be listed and written back unchanged.</summary>
public sealed record NftUnknownExpression : NftExpression
{
    private readonly string _name;
    private readonly byte[] _data;

    /// <summary>Wraps an expression's name and the raw bytes of its <c>NFTA_EXPR_DATA</c> attributes.</summary>
    public NftUnknownExpression(string name, ReadOnlySpan<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _name = name;
        _data = data.ToArray();
    }

    /// <inheritdoc/>
    public override string Name => _name;

    /// <summary>The raw attributes inside <c>NFTA_EXPR_DATA</c>.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <inheritdoc/>
    public bool Equals(NftUnknownExpression? other) => other is not null && _name == other._name && Data.SequenceEqual(other.Data);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_name, _data.Length);

    internal override void WriteData(ref NetlinkWriter writer) => _data.CopyTo(writer.Reserve(_data.Length));
}
