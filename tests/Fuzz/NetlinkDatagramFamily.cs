using System.Collections.Generic;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// A family whose inputs are netlink datagrams: mutated from the captured seeds by <see cref="NetlinkMutator"/>
/// and placed against the guard page before decoding (<see cref="Guard"/>).
/// </summary>
internal abstract class NetlinkDatagramFamily : Family
{
    protected NetlinkDatagramFamily(IReadOnlyList<byte[]> seeds, GuardPage guard)
    {
        Mutator = new NetlinkMutator(seeds);
        Guard = guard;
    }

    /// <summary>The structure-aware mutator over the seeds.</summary>
    protected NetlinkMutator Mutator { get; }

    /// <summary>Where each input is placed so that it ends at an inaccessible page.</summary>
    protected GuardPage Guard { get; }

    public override int SeedCount => Mutator.SeedCount;

    public override IEnumerable<byte[]> SeedInputs() => Mutator.SeedMessages();

    public override byte[] NextInput(ref Rng rng) => Mutator.Next(ref rng);
}
