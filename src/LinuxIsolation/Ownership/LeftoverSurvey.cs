using System.Collections.Generic;

namespace LinuxIsolation.Ownership;

/// <summary>What <see cref="Leftovers.Find"/> saw.</summary>
/// <param name="Orphans">Objects tagged by the owner whose creating process is dead: what <see cref="Leftovers.Remove"/> may remove.</param>
/// <param name="Kept">Objects tagged by the owner whose creating process is alive, or cannot be checked from here: never removed.</param>
/// <param name="Warnings">Places that could not be scanned, and why (e.g. a namespace that could not be entered).</param>
public sealed record LeftoverSurvey(IReadOnlyList<Leftover> Orphans, IReadOnlyList<Leftover> Kept, IReadOnlyList<string> Warnings);
