using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text;

namespace LinuxIsolation.Netlink;

/// <summary>
/// The kernel refused a netlink request. <see cref="Win32Exception.NativeErrorCode"/> is the errno; the
/// kernel's extended-ACK text, the offending attribute and what the library was doing are kept apart.
/// </summary>
public sealed class NetlinkException : Win32Exception
{
    /// <summary>Creates the exception from the parts of a kernel error reply.</summary>
    /// <param name="errno">The positive errno.</param>
    /// <param name="operation">What was being done, e.g. "RTM_NEWLINK veth brid4/veth4"; null if not known.</param>
    /// <param name="kernelMessage">The kernel's extended-ACK message (<c>NLMSGERR_ATTR_MSG</c>), or null.</param>
    /// <param name="errorOffset">Offset in the request of the attribute the kernel blamed (<c>NLMSGERR_ATTR_OFFS</c>), or null.</param>
    /// <param name="attributePath">Types of the attribute the offset points into, outermost first; null if no offset was given.</param>
    /// <param name="missingAttributeType">Type of a missing attribute (<c>NLMSGERR_ATTR_MISS_TYPE</c>), or null.</param>
    public NetlinkException(int errno, string? operation, string? kernelMessage = null, int? errorOffset = null,
        IReadOnlyList<ushort>? attributePath = null, ushort? missingAttributeType = null)
        : base(errno, Format(errno, operation, kernelMessage, attributePath, missingAttributeType))
    {
        Operation = operation;
        KernelMessage = kernelMessage;
        ErrorOffset = errorOffset;
        AttributePath = attributePath;
        MissingAttributeType = missingAttributeType;
    }

    /// <summary>The errno, positive (same as <see cref="Win32Exception.NativeErrorCode"/>).</summary>
    public int Errno => NativeErrorCode;

    /// <summary>The errno's symbolic name, e.g. "ENODEV".</summary>
    public string ErrorName => LinuxIsolation.Errno.GetName(NativeErrorCode);

    /// <summary>What the library was doing, e.g. "RTM_NEWLINK veth brid4/veth4"; null if not known.</summary>
    public string? Operation { get; }

    /// <summary>The kernel's extended-ACK text, e.g. "Unknown device type"; null if the kernel gave none.</summary>
    public string? KernelMessage { get; }

    /// <summary>Byte offset in the request that the kernel blamed; null if it gave none.</summary>
    public int? ErrorOffset { get; }

    /// <summary>
    /// The attribute at <see cref="ErrorOffset"/>, as the chain of attribute types from the outermost
    /// attribute of the request to the innermost that contains the offset; null if unknown.
    /// </summary>
    public IReadOnlyList<ushort>? AttributePath { get; }

    /// <summary>The type of an attribute the kernel said was missing; null if none.</summary>
    public ushort? MissingAttributeType { get; }

    /// <summary>Returns a copy of this exception that names <paramref name="operation"/> as what was being done.</summary>
    public NetlinkException WithOperation(string operation) =>
        new(NativeErrorCode, operation, KernelMessage, ErrorOffset, AttributePath, MissingAttributeType);

    private static string Format(int errno, string? operation, string? kernelMessage, IReadOnlyList<ushort>? path, ushort? missing)
    {
        var sb = new StringBuilder();
        if (operation is not null)
        {
            sb.Append(operation).Append(": ");
        }

        sb.Append(new Win32Exception(errno).Message).Append(" (").Append(LinuxIsolation.Errno.GetName(errno)).Append(')');
        if (!string.IsNullOrEmpty(kernelMessage))
        {
            sb.Append(": ").Append(kernelMessage);
        }

        if (path is { Count: > 0 })
        {
            sb.Append(" [attribute ").Append(string.Join('/', path)).Append(']');
        }

        if (missing is ushort m)
        {
            sb.Append(" [missing attribute ").Append(m).Append(']');
        }

        return sb.ToString();
    }
}
