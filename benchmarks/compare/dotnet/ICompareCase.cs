using System;

namespace LinuxIsolation.Compare;

/// <summary>
/// One unit of work measured against the reference implementations. A case is a struct so that the
/// generic timing loop is compiled for it and calls <see cref="Run"/> directly, as the C side calls its builder.
/// </summary>
internal interface ICompareCase
{
    /// <summary>The case's name, shared with every implementation (e.g. "encode veth-create").</summary>
    static abstract string Name { get; }

    /// <summary>Prepares what the case needs once (addresses, sockets), outside the timed loop.</summary>
    static abstract void Setup();

    /// <summary>Does the work once into <paramref name="buffer"/> and returns the number of bytes written.</summary>
    static abstract int Run(Span<byte> buffer);
}
