namespace LinuxIsolation.Netlink.Nftables.Native;

/// <summary>
/// Attribute types of nf_tables expressions, from <c>linux/netfilter/nf_tables.h</c>: <c>enum nft_payload_attributes</c>,
/// <c>nft_meta_attributes</c>, <c>nft_cmp_attributes</c>, <c>nft_bitwise_attributes</c>, <c>nft_immediate_attributes</c>,
/// <c>nft_counter_attributes</c>, <c>nft_ct_attributes</c>, <c>nft_lookup_attributes</c>, <c>nft_nat_attributes</c>,
/// <c>nft_masq_attributes</c>, <c>nft_redir_attributes</c>; plus <c>NF_NAT_RANGE_*</c> from <c>linux/netfilter/nf_nat.h</c>.
/// </summary>
internal static class NfTablesExpressionAttributes
{
    public const ushort NFTA_PAYLOAD_DREG = 1;
    public const ushort NFTA_PAYLOAD_BASE = 2;
    public const ushort NFTA_PAYLOAD_OFFSET = 3;
    public const ushort NFTA_PAYLOAD_LEN = 4;

    public const ushort NFTA_META_DREG = 1;
    public const ushort NFTA_META_KEY = 2;

    public const ushort NFTA_CMP_SREG = 1;
    public const ushort NFTA_CMP_OP = 2;
    public const ushort NFTA_CMP_DATA = 3;

    public const ushort NFTA_BITWISE_SREG = 1;
    public const ushort NFTA_BITWISE_DREG = 2;
    public const ushort NFTA_BITWISE_LEN = 3;
    public const ushort NFTA_BITWISE_MASK = 4;
    public const ushort NFTA_BITWISE_XOR = 5;

    public const ushort NFTA_IMMEDIATE_DREG = 1;
    public const ushort NFTA_IMMEDIATE_DATA = 2;

    public const ushort NFTA_COUNTER_BYTES = 1;
    public const ushort NFTA_COUNTER_PACKETS = 2;

    public const ushort NFTA_CT_DREG = 1;
    public const ushort NFTA_CT_KEY = 2;
    public const ushort NFTA_CT_DIRECTION = 3;

    public const ushort NFTA_FIB_DREG = 1;
    public const ushort NFTA_FIB_RESULT = 2;
    public const ushort NFTA_FIB_FLAGS = 3;

    public const ushort NFTA_LOOKUP_SET = 1;
    public const ushort NFTA_LOOKUP_SREG = 2;
    public const ushort NFTA_LOOKUP_DREG = 3;
    public const ushort NFTA_LOOKUP_SET_ID = 4;
    public const ushort NFTA_LOOKUP_FLAGS = 5;
    /// <summary><c>NFT_LOOKUP_F_INV</c>.</summary>
    public const uint NFT_LOOKUP_F_INV = 1;

    public const ushort NFTA_NAT_TYPE = 1;
    public const ushort NFTA_NAT_FAMILY = 2;
    public const ushort NFTA_NAT_REG_ADDR_MIN = 3;
    public const ushort NFTA_NAT_REG_ADDR_MAX = 4;
    public const ushort NFTA_NAT_REG_PROTO_MIN = 5;
    public const ushort NFTA_NAT_REG_PROTO_MAX = 6;
    public const ushort NFTA_NAT_FLAGS = 7;

    public const ushort NFTA_MASQ_FLAGS = 1;
    public const ushort NFTA_MASQ_REG_PROTO_MIN = 2;
    public const ushort NFTA_MASQ_REG_PROTO_MAX = 3;

    public const ushort NFTA_REDIR_REG_PROTO_MIN = 1;
    public const ushort NFTA_REDIR_REG_PROTO_MAX = 2;
    public const ushort NFTA_REDIR_FLAGS = 3;

    /// <summary><c>NF_NAT_RANGE_MAP_IPS</c>.</summary>
    public const uint NF_NAT_RANGE_MAP_IPS = 1;
    /// <summary><c>NF_NAT_RANGE_PROTO_SPECIFIED</c>.</summary>
    public const uint NF_NAT_RANGE_PROTO_SPECIFIED = 2;
}
