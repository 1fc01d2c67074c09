using System;
using System.IO;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

/// <summary>
/// A bundle (bundle.md): a directory holding <c>config.json</c> and the root file system it names. Loading
/// reads and parses the config but changes nothing; <see cref="Validate"/> checks it against the spec and this
/// host.
/// </summary>
public sealed class OciBundle
{
    /// <summary>The name of the configuration file in a bundle.</summary>
    public const string ConfigFileName = "config.json";

    private OciBundle(string directory, OciSpec spec)
    {
        Directory = directory;
        Spec = spec;
    }

    /// <summary>The absolute bundle directory.</summary>
    public string Directory { get; }

    /// <summary>The absolute path of config.json.</summary>
    public string ConfigPath => System.IO.Path.Combine(Directory, ConfigFileName);

    /// <summary>The parsed config.json.</summary>
    public OciSpec Spec { get; }

    /// <summary>The absolute root file system directory (root.path, relative to the bundle when relative), or null without root.path.</summary>
    public string? RootfsPath => string.IsNullOrEmpty(Spec.Root?.Path) ? null : System.IO.Path.GetFullPath(Spec.Root.Path, Directory);

    /// <summary>Reads <c>DIRECTORY/config.json</c>. Equivalent to what <c>runc create --bundle DIRECTORY</c> reads first.</summary>
    /// <param name="directory">The bundle directory, absolute or relative to the current directory.</param>
    /// <exception cref="OciConfigException">config.json is malformed or has a value of the wrong type.</exception>
    /// <exception cref="FileNotFoundException">There is no config.json.</exception>
    public static OciBundle Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string full = System.IO.Path.GetFullPath(directory);
        string config = System.IO.Path.Combine(full, ConfigFileName);
        if (!File.Exists(config))
        {
            throw new FileNotFoundException($"the bundle {full} has no {ConfigFileName}", config);
        }

        return new OciBundle(full, OciJson.LoadSpec(config));
    }

    /// <summary>Wraps an already parsed config with its bundle directory.</summary>
    /// <param name="directory">The bundle directory.</param>
    /// <param name="spec">The config.</param>
    public static OciBundle FromSpec(string directory, OciSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(spec);
        return new OciBundle(System.IO.Path.GetFullPath(directory), spec);
    }

    /// <summary>Validates the config (see <see cref="OciValidator"/>), with root.path checked against the bundle.</summary>
    /// <param name="checkHost">Also check namespace paths and sysctls against this host.</param>
    public OciValidationResult Validate(bool checkHost = true) =>
        OciValidator.Validate(Spec, new OciValidationOptions { BundleDirectory = Directory, CheckHost = checkHost });
}
