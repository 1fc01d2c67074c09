using System;
using System.Text;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// A table comment in the format nft keeps it in a table's user data (<c>NFTA_TABLE_USERDATA</c>): libnftnl's
/// type-length-value records, one byte type, one byte length, then the value; the comment is record type 0
/// (<c>NFTNL_UDATA_TABLE_COMMENT</c>) holding the text and a terminating NUL. A table created with such user data
/// prints as <c>comment "TEXT"</c> in <c>nft list table FAMILY NAME</c>.
/// </summary>
public static class NftTableComment
{
    /// <summary>The longest comment in bytes of UTF-8 nft accepts (<c>NFTNL_UDATA_COMMENT_MAXLEN</c> 128, less the NUL).</summary>
    public const int MaxLength = 127;

    /// <summary>The most user data the kernel keeps for a table (<c>NFT_USERDATA_MAXLEN</c>).</summary>
    public const int MaxUserDataLength = 256;

    /// <summary>The record type of a table comment (<c>NFTNL_UDATA_TABLE_COMMENT</c>).</summary>
    private const byte CommentType = 0;

    /// <summary>Encodes <paramref name="comment"/> as table user data: <c>{ 0, LEN, TEXT, 0 }</c>.</summary>
    /// <exception cref="ArgumentException">The comment is empty, over <see cref="MaxLength"/> bytes of UTF-8, or contains NUL.</exception>
    public static byte[] Encode(string comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        int length = Encoding.UTF8.GetByteCount(comment);
        if (length == 0 || length > MaxLength || comment.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A table comment is 1 to {MaxLength} bytes of UTF-8 without NUL; this one is {length} bytes.", nameof(comment));
        }

        byte[] data = new byte[length + 3];
        data[0] = CommentType;
        data[1] = (byte)(length + 1);
        Encoding.UTF8.GetBytes(comment, data.AsSpan(2));
        return data;
    }

    /// <summary>
    /// Finds the comment record in table user data and returns its text; null when <paramref name="userData"/> is
    /// null, holds no comment record, or is malformed (a record running past the end, a comment without its NUL).
    /// </summary>
    public static string? Decode(byte[]? userData)
    {
        if (userData is null)
        {
            return null;
        }

        ReadOnlySpan<byte> rest = userData;
        while (rest.Length >= 2)
        {
            byte type = rest[0];
            int length = rest[1];
            if (length > rest.Length - 2)
            {
                return null;
            }

            ReadOnlySpan<byte> value = rest.Slice(2, length);
            if (type == CommentType)
            {
                return length == 0 || value[length - 1] != 0 ? null : Encoding.UTF8.GetString(value.Slice(0, length - 1));
            }

            rest = rest.Slice(2 + length);
        }

        return null;
    }
}
