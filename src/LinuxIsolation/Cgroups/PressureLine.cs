namespace LinuxIsolation.Cgroups;

/// <summary>One line of a PSI file: the share of time tasks were stalled, averaged over 10, 60 and 300 s (percent), and the total.</summary>
/// <param name="Avg10">avg10, percent.</param>
/// <param name="Avg60">avg60, percent.</param>
/// <param name="Avg300">avg300, percent.</param>
/// <param name="TotalMicroseconds">total: stall time in microseconds.</param>
public sealed record PressureLine(double Avg10, double Avg60, double Avg300, long TotalMicroseconds);
