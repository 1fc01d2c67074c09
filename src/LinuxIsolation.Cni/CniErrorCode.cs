namespace LinuxIsolation.Cni;

/// <summary>The well-known error codes of the CNI spec (section "Error"); 100 and above are the plugin's own.</summary>
public static class CniErrorCode
{
    /// <summary>1: the plugin does not support the CNI version asked for.</summary>
    public const int IncompatibleVersion = 1;

    /// <summary>2: a field of the network configuration is not supported (the message names it).</summary>
    public const int UnsupportedField = 2;

    /// <summary>3: the container is unknown or does not exist.</summary>
    public const int UnknownContainer = 3;

    /// <summary>4: a CNI environment variable is missing or invalid (the message names it).</summary>
    public const int InvalidEnvironment = 4;

    /// <summary>5: reading stdin or writing stdout failed.</summary>
    public const int IoFailure = 5;

    /// <summary>6: the network configuration on stdin is not valid JSON.</summary>
    public const int DecodeFailure = 6;

    /// <summary>7: the network configuration is invalid: a required field is missing or a value does not parse (the message names the field).</summary>
    public const int InvalidNetworkConfig = 7;

    /// <summary>11: a transient failure; the runtime should try again later.</summary>
    public const int TryAgainLater = 11;

    /// <summary>50 (CNI 1.1.0, STATUS): the plugin is not available to serve ADDs.</summary>
    public const int NotAvailable = 50;

    /// <summary>51 (CNI 1.1.0, STATUS): the plugin is available, but connectivity is limited.</summary>
    public const int LimitedConnectivity = 51;

    /// <summary>100: the first plugin-specific code; <c>lxi-cni</c> uses it for a CHECK that found the attachment different from its <c>prevResult</c>.</summary>
    public const int CheckFailed = 100;

    /// <summary>999: an unexpected failure (the reference plugins' "unknown error").</summary>
    public const int Unknown = 999;
}
