using System.Collections.Generic;
using System.ComponentModel;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// The kernel refused an nf_tables transaction; nothing it contained took effect.
/// <see cref="Win32Exception.NativeErrorCode"/> is the errno of the first refused operation.
/// </summary>
public sealed class NftTransactionException : Win32Exception
{
    /// <summary>Creates the exception for a refused batch.</summary>
    /// <param name="operationIndex">Index of the first refused operation in <see cref="NftTransaction.Operations"/>; -1 when the batch as a whole was refused.</param>
    /// <param name="operation">That operation; null when the batch as a whole was refused.</param>
    /// <param name="error">The kernel's answer to it.</param>
    /// <param name="errors">Every error the kernel reported, by operation index (-1 for the batch).</param>
    public NftTransactionException(int operationIndex, NftOperation? operation, NetlinkException error, IReadOnlyList<KeyValuePair<int, NetlinkException>> errors)
        : base(error?.NativeErrorCode ?? 0, Format(operationIndex, operation, error!))
    {
        OperationIndex = operationIndex;
        Operation = operation;
        Errors = errors;
        Error = error!;
    }

    /// <summary>Index of the first refused operation; -1 when the batch as a whole was refused (e.g. the commit failed or the generation moved on).</summary>
    public int OperationIndex { get; }

    /// <summary>The first refused operation (its rule in <see cref="NftOperation.Rule"/>); null for the batch as a whole.</summary>
    public NftOperation? Operation { get; }

    /// <summary>The kernel's answer to that operation: errno, name and extended-ACK text.</summary>
    public NetlinkException Error { get; }

    /// <summary>The kernel's extended-ACK text for the first refused operation, e.g. "Could not process rule"; null if it gave none.</summary>
    public string? KernelMessage => Error.KernelMessage;

    /// <summary>Every error reported, with its operation index (-1 for the batch).</summary>
    public IReadOnlyList<KeyValuePair<int, NetlinkException>> Errors { get; }

    private static string Format(int index, NftOperation? operation, NetlinkException error)
    {
        // The error's message already starts with the operation's text ("add rule inet t c [...]: ...").
        string what = operation is null ? "the batch" : $"operation {index}";
        return $"nf_tables transaction refused, nothing was changed: {what}: {error?.Message}";
    }
}
