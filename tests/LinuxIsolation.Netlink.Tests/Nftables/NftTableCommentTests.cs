using System;
using LinuxIsolation.Netlink.Nftables;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Nftables;

/// <summary>Table user data (comments) against what nft 1.0.6 sent (Vectors/nft-table-comment.txt), and decoded back.</summary>
public class NftTableCommentTests
{
    private const string Comment = "lxi-owner name=myorch pid=4242 start=81234567 pidns=4026531836";

    [Fact]
    public void AddTableWithCommentMatchesNft()
    {
        var tx = new NftTransaction().AddTable(new NftTable(NftFamily.Inet, "owned") { UserData = NftTableComment.Encode(Comment) });
        byte[] buffer = new byte[1024];
        int length = tx.Encode(buffer, acknowledge: false, echo: false);
        byte[] expected = TestVectors.WithoutSequence(TestVectors.Load("nft-table-comment.txt"));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(TestVectors.WithoutSequence(buffer.AsSpan(0, length))));
    }

    [Fact]
    public void CapturedTableDecodesWithItsComment()
    {
        int index = 0;
        foreach (NetlinkMessage m in new NetlinkReader(TestVectors.Load("nft-table-comment.txt")))
        {
            if (index++ != 1)
            {
                continue;
            }

            NftTable table = NftTable.Parse(m);
            Assert.Equal(NftFamily.Inet, table.Family);
            Assert.Equal("owned", table.Name);
            Assert.Equal(Comment, table.Comment);
            Assert.Equal(NftTableComment.Encode(Comment), table.UserData);
        }

        Assert.Equal(3, index);
    }

    [Fact]
    public void CreateTableSendsTheSameUserDataWithExclusive()
    {
        var table = new NftTable(NftFamily.Inet, "owned") { UserData = NftTableComment.Encode(Comment) };
        byte[] add = new NftTransaction().AddTable(table).Encode(acknowledge: false, echo: false);
        byte[] create = new NftTransaction().CreateTable(table).Encode(acknowledge: false, echo: false);
        Assert.Equal(add.Length, create.Length);

        // Only the NEWTABLE flags differ (bytes 6..7 of the second message, at offset 20): CREATE | EXCL added.
        Assert.Equal(0x0001, BitConverter.ToUInt16(add, 20 + 6));
        Assert.Equal(0x0601, BitConverter.ToUInt16(create, 20 + 6));
        create[20 + 6] = add[20 + 6];
        create[20 + 7] = add[20 + 7];
        Assert.Equal(add, create);
    }

    [Fact]
    public void UserDataIsCopiedWhenTheOperationIsAdded()
    {
        byte[] data = NftTableComment.Encode("first");
        var tx = new NftTransaction().AddTable(new NftTable(NftFamily.Inet, "t") { UserData = data });
        byte[] before = tx.Encode(acknowledge: false, echo: false);
        data[2] = (byte)'X';
        Assert.Equal(before, tx.Encode(acknowledge: false, echo: false));
    }
}
