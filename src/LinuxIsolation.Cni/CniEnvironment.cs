using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace LinuxIsolation.Cni;

/// <summary>
/// The CNI environment variables of one invocation, validated: <c>CNI_COMMAND</c>, <c>CNI_CONTAINERID</c>,
/// <c>CNI_NETNS</c>, <c>CNI_IFNAME</c>, <c>CNI_ARGS</c>, <c>CNI_PATH</c>. Every failure is code 4
/// (<see cref="CniErrorCode.InvalidEnvironment"/>) with the variable named.
/// </summary>
public sealed partial record CniEnvironment
{
    /// <summary>The longest container ID accepted (the spec sets no limit; IDs end up in file contents and names, and runtimes use 64).</summary>
    public const int MaxContainerIdLength = 255;

    /// <summary>The operation.</summary>
    public required CniCommand Command { get; init; }

    /// <summary>The container ID (letters, digits, '_', '.', '-', starting with a letter or digit), or null for VERSION, STATUS and GC.</summary>
    public string? ContainerId { get; init; }

    /// <summary>The path of the container's network namespace (e.g. <c>/run/netns/NAME</c>), or null (DEL may be called without it).</summary>
    public string? NetNs { get; init; }

    /// <summary>The interface name to create inside the container (1 to 15 bytes, no '/', ':' or whitespace, not "." or ".."), or null.</summary>
    public string? IfName { get; init; }

    /// <summary>The <c>CNI_ARGS</c> pairs (<c>K1=V1;K2=V2</c>), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Args { get; init; } = [];

    /// <summary>The directories of <c>CNI_PATH</c>, in order (where delegated plugins are looked up).</summary>
    public IReadOnlyList<string> Path { get; init; } = [];

    /// <summary>Reads and validates the variables through <paramref name="getVariable"/> (e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    /// <param name="getVariable">Returns a variable's value, or null when it is not set.</param>
    /// <exception cref="CniException">A variable the command needs is missing, or one is invalid (code 4).</exception>
    public static CniEnvironment Read(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? command = getVariable("CNI_COMMAND");
        CniCommand cmd = command switch
        {
            "ADD" => CniCommand.Add,
            "DEL" => CniCommand.Del,
            "CHECK" => CniCommand.Check,
            "VERSION" => CniCommand.Version,
            "STATUS" => CniCommand.Status,
            "GC" => CniCommand.Gc,
            null or "" => throw Invalid("CNI_COMMAND is not set."),
            _ => throw Invalid($"CNI_COMMAND \"{command}\" is not one of ADD, DEL, CHECK, VERSION, STATUS, GC."),
        };
        if (cmd == CniCommand.Version)
        {
            return new CniEnvironment { Command = cmd };
        }

        bool perContainer = cmd is CniCommand.Add or CniCommand.Del or CniCommand.Check;
        string? id = NonEmpty(getVariable("CNI_CONTAINERID"));
        string? netns = NonEmpty(getVariable("CNI_NETNS"));
        string? ifname = NonEmpty(getVariable("CNI_IFNAME"));
        string? path = getVariable("CNI_PATH");
        if (perContainer)
        {
            id = id ?? throw Invalid("CNI_CONTAINERID is not set.");
            ifname = ifname ?? throw Invalid("CNI_IFNAME is not set.");
            if (cmd != CniCommand.Del && netns is null)
            {
                throw Invalid("CNI_NETNS is not set.");
            }
        }

        if (path is null)
        {
            throw Invalid("CNI_PATH is not set.");
        }

        if (id is not null)
        {
            ValidateContainerId(id);
        }

        if (ifname is not null)
        {
            ValidateInterfaceName(ifname);
        }

        if (netns is not null && (netns[0] != '/' || netns.Contains('\0', StringComparison.Ordinal)))
        {
            throw Invalid($"CNI_NETNS \"{netns}\" is not an absolute path.");
        }

        return new CniEnvironment
        {
            Command = cmd,
            ContainerId = id,
            NetNs = netns,
            IfName = ifname,
            Args = ParseArgs(getVariable("CNI_ARGS")),
            Path = path.Split(':', StringSplitOptions.RemoveEmptyEntries),
        };
    }

    /// <summary>Checks a container ID as libcni does, with a length limit of <see cref="MaxContainerIdLength"/>.</summary>
    /// <param name="id">The ID.</param>
    /// <exception cref="CniException">It is empty, too long, or holds a character that could escape a path (code 4).</exception>
    public static void ValidateContainerId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length > MaxContainerIdLength)
        {
            throw Invalid($"CNI_CONTAINERID is {id.Length} characters long; at most {MaxContainerIdLength} are accepted.");
        }

        if (!ContainerIdPattern().IsMatch(id))
        {
            throw Invalid($"CNI_CONTAINERID \"{id}\" must start with a letter or digit and hold only letters, digits, '_', '.' and '-'.");
        }
    }

    /// <summary>Checks an interface name as the kernel and libcni do.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="CniException">It is empty, longer than 15 bytes, "." or "..", or holds '/', ':' or whitespace (code 4).</exception>
    public static void ValidateInterfaceName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 15)
        {
            throw Invalid($"CNI_IFNAME \"{name}\" must be 1 to 15 bytes long.");
        }

        if (name is "." or "..")
        {
            throw Invalid($"CNI_IFNAME \"{name}\" is not a valid interface name.");
        }

        foreach (char c in name)
        {
            if (c is '/' or ':' or '\0' || char.IsWhiteSpace(c))
            {
                throw Invalid($"CNI_IFNAME \"{name}\" holds '/', ':', NUL or whitespace.");
            }
        }
    }

    private static List<KeyValuePair<string, string>> ParseArgs(string? text)
    {
        var args = new List<KeyValuePair<string, string>>();
        foreach (string pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Invalid($"CNI_ARGS entry \"{pair}\" is not KEY=VALUE.");
            }

            args.Add(new(pair[..eq], pair[(eq + 1)..]));
        }

        return args;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static CniException Invalid(string message) => new(CniErrorCode.InvalidEnvironment, message);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$")]
    private static partial Regex ContainerIdPattern();
}
