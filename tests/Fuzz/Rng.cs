namespace LinuxIsolation.Fuzz;

/// <summary>
/// SplitMix64: a small, fast generator whose whole state is one number, so input N of a run is rebuilt from
/// (seed, family, N) alone (<c>--seed S --start N --inputs 1</c> replays it).
/// </summary>
internal struct Rng
{
    private ulong _state;

    public Rng(ulong seed) => _state = seed;

    /// <summary>The generator for input <paramref name="index"/> of <paramref name="family"/> in the run seeded <paramref name="seed"/>.</summary>
    public static Rng ForInput(ulong seed, string family, long index)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in family)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        var r = new Rng(seed ^ h ^ ((ulong)index * 0x9E3779B97F4A7C15UL));
        r.Next();
        return r;
    }

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 to <paramref name="n"/> - 1 (0 when n is 0 or less).</summary>
    public int Below(int n) => n <= 0 ? 0 : (int)(Next() % (ulong)n);

    /// <summary><paramref name="min"/> to <paramref name="max"/> inclusive.</summary>
    public int Between(int min, int max) => min + Below(max - min + 1);

    /// <summary>True with probability 1/<paramref name="n"/>.</summary>
    public bool OneIn(int n) => Below(n) == 0;

    public T Pick<T>(T[] items) => items[Below(items.Length)];

    public T Pick<T>(System.Collections.Generic.IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>A small count, more often 1 than 2, 2 than 3 (geometric, capped).</summary>
    public int Small(int max)
    {
        int n = 1;
        while (n < max && OneIn(2))
        {
            n++;
        }

        return n;
    }
}
