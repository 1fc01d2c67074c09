namespace LinuxIsolation.Netlink.Nftables.Native;

/// <summary>
/// Attribute types of nf_tables objects, from <c>linux/netfilter/nf_tables.h</c>: <c>enum nft_table_attributes</c>,
/// <c>nft_chain_attributes</c>, <c>nft_hook_attributes</c>, <c>nft_rule_attributes</c>, <c>nft_list_attributes</c>,
/// <c>nft_expr_attributes</c>, <c>nft_data_attributes</c>, <c>nft_verdict_attributes</c>, <c>nft_set_attributes</c>,
/// <c>nft_set_desc_attributes</c>, <c>nft_set_elem_attributes</c>, <c>nft_set_elem_list_attributes</c>, <c>nft_gen_attributes</c>.
/// </summary>
internal static class NfTablesAttributes
{
    /// <summary><c>NLA_F_NESTED</c>: nf_tables requires it on every nest.</summary>
    public const ushort NLA_F_NESTED = 0x8000;

    public const ushort NFTA_LIST_ELEM = 1;

    public const ushort NFTA_HOOK_HOOKNUM = 1;
    public const ushort NFTA_HOOK_PRIORITY = 2;
    public const ushort NFTA_HOOK_DEV = 3;

    public const ushort NFTA_TABLE_NAME = 1;
    public const ushort NFTA_TABLE_FLAGS = 2;
    public const ushort NFTA_TABLE_USE = 3;
    public const ushort NFTA_TABLE_HANDLE = 4;
    public const ushort NFTA_TABLE_USERDATA = 6;

    public const ushort NFTA_CHAIN_TABLE = 1;
    public const ushort NFTA_CHAIN_HANDLE = 2;
    public const ushort NFTA_CHAIN_NAME = 3;
    public const ushort NFTA_CHAIN_HOOK = 4;
    public const ushort NFTA_CHAIN_POLICY = 5;
    public const ushort NFTA_CHAIN_USE = 6;
    public const ushort NFTA_CHAIN_TYPE = 7;
    public const ushort NFTA_CHAIN_FLAGS = 10;

    public const ushort NFTA_RULE_TABLE = 1;
    public const ushort NFTA_RULE_CHAIN = 2;
    public const ushort NFTA_RULE_HANDLE = 3;
    public const ushort NFTA_RULE_EXPRESSIONS = 4;
    public const ushort NFTA_RULE_POSITION = 6;
    public const ushort NFTA_RULE_USERDATA = 7;

    public const ushort NFTA_EXPR_NAME = 1;
    public const ushort NFTA_EXPR_DATA = 2;

    public const ushort NFTA_DATA_VALUE = 1;
    public const ushort NFTA_DATA_VERDICT = 2;

    public const ushort NFTA_VERDICT_CODE = 1;
    public const ushort NFTA_VERDICT_CHAIN = 2;

    public const ushort NFTA_SET_TABLE = 1;
    public const ushort NFTA_SET_NAME = 2;
    public const ushort NFTA_SET_FLAGS = 3;
    public const ushort NFTA_SET_KEY_TYPE = 4;
    public const ushort NFTA_SET_KEY_LEN = 5;
    public const ushort NFTA_SET_DATA_TYPE = 6;
    public const ushort NFTA_SET_DATA_LEN = 7;
    public const ushort NFTA_SET_POLICY = 8;
    public const ushort NFTA_SET_DESC = 9;
    public const ushort NFTA_SET_ID = 10;
    public const ushort NFTA_SET_HANDLE = 16;

    public const ushort NFTA_SET_ELEM_KEY = 1;
    public const ushort NFTA_SET_ELEM_DATA = 2;
    public const ushort NFTA_SET_ELEM_FLAGS = 3;

    public const ushort NFTA_SET_ELEM_LIST_TABLE = 1;
    public const ushort NFTA_SET_ELEM_LIST_SET = 2;
    public const ushort NFTA_SET_ELEM_LIST_ELEMENTS = 3;

    public const ushort NFTA_GEN_ID = 1;
}
